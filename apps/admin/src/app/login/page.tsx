import { redirect } from "next/navigation";
import { currentSession } from "~/server/session.ts";
import { LoginForm } from "./login-form.tsx";

export const metadata = { title: "Sign in · Kassa" };

export default async function LoginPage() {
  if (await currentSession()) redirect("/");
  return (
    <main className="login-page">
      <div className="login-card">
        <div className="brand large">
          <span className="brand-mark">K</span> Kassa
        </div>
        <p className="muted">Sign in to see your fleet of tills and their receipts.</p>
        <LoginForm />
      </div>
    </main>
  );
}
