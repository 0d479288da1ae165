export { type Clock, DAY_MS, FakeClock, HOUR_MS, OffsetClock, parseDuration, systemClock } from "./clock.ts";
export { CONTROL_HELP, describeStatus, parseFault, runControl } from "./control.ts";
export { DEFAULT_BYTE_TIMEOUT_MS } from "./device-link.ts";
export { FakeFn, type FnOptions, type FnState } from "./fake-fn.ts";
export {
  type ActiveFault,
  FAULT_KINDS,
  type FaultKind,
  FaultPlan,
  type FaultSpec,
  type FaultStage,
} from "./fault-plan.ts";
export { documentStlv, type FnDocument } from "./fn-document.ts";
export {
  type AttachOptions,
  type EmulatorStatus,
  KktEmulator,
  type KktEmulatorOptions,
} from "./kkt-emulator.ts";
export { createLinkedPair, type LinkedPair, type LinkedPairOptions } from "./linked-pair.ts";
export type { PaperState } from "./printer.ts";
export { DEFAULT_TAX_GROUPS } from "./tax-groups.ts";
export { type AnswerFrame, settle, TestLine } from "./test-line.ts";
