"use client";

import { LogIn } from "lucide-react";
import { useActionState } from "react";
import { type SignInState, signInAction } from "./actions.ts";

export function LoginForm() {
  const [state, action, pending] = useActionState<SignInState, FormData>(signInAction, {});
  return (
    <form action={action} className="login-form" noValidate>
      <label>
        Email
        <input name="email" type="email" autoComplete="username" defaultValue={state.email} required />
        {state.fieldErrors?.email && <span className="field-error">{state.fieldErrors.email[0]}</span>}
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required />
        {state.fieldErrors?.password && <span className="field-error">{state.fieldErrors.password[0]}</span>}
      </label>
      {state.error && (
        <p className="form-error" role="alert">
          {state.error}
        </p>
      )}
      <button type="submit" className="button primary" disabled={pending}>
        <LogIn size={16} aria-hidden /> {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
