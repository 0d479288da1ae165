"use client";

import { usePathname } from "next/navigation";
import { useEffect, useRef } from "react";
import { type Metric, onCLS, onFCP, onINP, onLCP, onTTFB } from "web-vitals";

/** Vitals per beacon: the server takes at most 20 (dashboard.rum.report). */
const PER_BEACON = 20;

/**
 * A dashboard route as a label: the first segment kept, ids replaced ("/terminals/t-17" →
 * "/terminals/[id]"), so the RUM page groups page views by route, not by record.
 */
export function routeOf(pathname: string): string {
  const [first, ...rest] = pathname.split("/").filter(Boolean);
  if (!first) return "/";
  return `/${[first.replace(/[^A-Za-z0-9_-]/g, "_"), ...rest.map(() => "[id]")].join("/")}`.slice(0, 128);
}

/** The beacon's body: the web-vitals Metric, without what the server does not keep (entries). */
export function beaconBody(metrics: readonly Metric[], page: string): string {
  return JSON.stringify({
    page,
    vitals: metrics.map((m) => ({
      name: m.name,
      value: m.value,
      rating: m.rating,
      id: m.id,
      delta: m.delta,
      navigationType: m.navigationType,
    })),
  });
}

let started = false;

/**
 * Measures this dashboard page view with `web-vitals` (LCP, INP, CLS, FCP, TTFB) and reports the
 * values to central in batches when the page is hidden (tab switch, navigation away, close) —
 * navigator.sendBeacon, which the browser delivers even as the page goes away; fetch with
 * keepalive where there is no sendBeacon. A module script (no inline script: the CSP stays strict).
 * The vitals belong to the document's landing route: Next.js navigations inside it are not new
 * page loads for web-vitals.
 */
export function WebVitalsReporter() {
  const pathname = usePathname();
  const landing = useRef(routeOf(pathname));
  useEffect(() => {
    // One set of observers per document (React's dev double-mount would register twice).
    if (started) return;
    started = true;
    const queue: Metric[] = [];
    const flush = () => {
      while (queue.length > 0) {
        const body = beaconBody(queue.splice(0, PER_BEACON), landing.current);
        const blob = new Blob([body], { type: "application/json" });
        if (!navigator.sendBeacon?.("/api/rum", blob)) {
          void fetch("/api/rum", {
            method: "POST",
            body,
            keepalive: true,
            headers: { "content-type": "application/json" },
          }).catch(() => {});
        }
      }
    };
    const add = (metric: Metric) => queue.push(metric);
    onLCP(add);
    onINP(add);
    onCLS(add);
    onFCP(add);
    onTTFB(add);
    // Registered after web-vitals' own listeners, so the values it finalises on hiding are queued first.
    const onVisibility = () => {
      if (document.visibilityState === "hidden") flush();
    };
    document.addEventListener("visibilitychange", onVisibility);
    window.addEventListener("pagehide", flush);
  }, []);
  return null;
}
