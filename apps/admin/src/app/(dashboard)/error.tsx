"use client";

import { RouteError } from "~/components/route-states.tsx";

export default function DashboardError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <RouteError {...props} />;
}
