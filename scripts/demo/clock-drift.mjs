// Preloaded into one demo till (`node --import`): its wall clock goes wrong, as a till's clock does
// when its battery-backed RTC drifts and NTP is blocked. KASSA_DEMO_CLOCK_DRIFT =
// "<start epoch ms>:<ms gained per real second>:<largest offset ms>". Before the start the clock
// is right; then it gains steadily up to the largest offset. The agent's own code is untouched:
// it reads Date like on any machine, and the central server sees the skew in its syncs.
const spec = process.env.KASSA_DEMO_CLOCK_DRIFT;
if (spec) {
  const [startAt, gainPerSecond, maxOffset] = spec.split(":").map(Number);
  const RealDate = Date;
  const realNow = RealDate.now.bind(RealDate);
  const offset = () => {
    const elapsed = realNow() - startAt;
    return elapsed <= 0 ? 0 : Math.min(maxOffset, (elapsed / 1000) * gainPerSecond);
  };
  const now = () => Math.round(realNow() + offset());
  // A Proxy rather than a subclass: `Date()` called without `new`, `instanceof Date` and every
  // static (parse, UTC) keep working; only "now" moves.
  globalThis.Date = new Proxy(RealDate, {
    construct: (target, args, newTarget) =>
      Reflect.construct(target, args.length === 0 ? [now()] : args, newTarget),
    apply: () => new RealDate(now()).toString(),
    get: (target, property, receiver) => (property === "now" ? now : Reflect.get(target, property, receiver)),
  });
}
