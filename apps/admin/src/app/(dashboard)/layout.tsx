import type { ReactNode } from "react";
import { AppShell } from "~/components/app-shell.tsx";
import { WebVitalsReporter } from "~/components/web-vitals-reporter.tsx";
import { requireSession } from "~/server/session.ts";
import { TrpcReactProvider } from "~/trpc/react.tsx";

// Every page under (dashboard) needs a signed-in user; the check runs on the server before render.
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  await requireSession();
  return (
    <TrpcReactProvider>
      <AppShell>{children}</AppShell>
      {/* The dashboard measures itself (issue 11): web vitals to central on page hide. */}
      <WebVitalsReporter />
    </TrpcReactProvider>
  );
}
