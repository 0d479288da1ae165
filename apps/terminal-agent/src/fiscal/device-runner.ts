import { DeviceDisconnectedError, type FiscalDevice, FiscalDeviceError } from "@kassa/fiscal/device";

/**
 * One fiscal register, one conversation at a time. Receipts, shift reports and status polls all
 * run through `run`, so their commands never interleave on the serial line. The device is opened
 * lazily and reopened after a disconnect, so an agent started with the cable out still accepts sales.
 */
export class DeviceRunner {
  private device: FiscalDevice | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;
  private linked = false;

  /**
   * `onConnection` sees the line come and go (RUM `device.event` connected / disconnected): the
   * first answer after none, the first failure to reach the register after answers.
   */
  constructor(
    private readonly open: () => Promise<FiscalDevice>,
    private readonly onConnection?: (connected: boolean) => void,
  ) {}

  /** True after the last command reached the device. */
  get connected(): boolean {
    return this.linked;
  }

  private setConnected(value: boolean): void {
    if (value === this.linked) return;
    this.linked = value;
    try {
      this.onConnection?.(value);
    } catch {
      // Observing the line must never fail a command on it.
    }
  }

  run<T>(task: (device: FiscalDevice) => Promise<T>): Promise<T> {
    const result = this.tail.then(() => this.execute(task));
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async execute<T>(task: (device: FiscalDevice) => Promise<T>): Promise<T> {
    if (this.closed) throw new DeviceDisconnectedError("The agent is shutting down.", { uncertain: false });
    if (!this.device) {
      try {
        this.device = await this.open();
      } catch (error) {
        this.setConnected(false);
        throw error instanceof FiscalDeviceError
          ? error
          : new DeviceDisconnectedError(`Cannot open the fiscal register: ${(error as Error).message}`, {
              uncertain: false,
              cause: error,
            });
      }
    }
    try {
      const value = await task(this.device);
      this.setConnected(true);
      return value;
    } catch (error) {
      if (error instanceof DeviceDisconnectedError) {
        this.setConnected(false);
        // The port is gone (USB adapter unplugged): drop it and reopen on the next command.
        const device = this.device;
        this.device = null;
        await device?.close().catch(() => undefined);
      } else if (!(error instanceof FiscalDeviceError) || error.kassaCode !== "DEVICE_TIMEOUT") {
        this.setConnected(true);
      } else {
        this.setConnected(false);
      }
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.tail;
    this.closed = true;
    await this.device?.close().catch(() => undefined);
    this.device = null;
  }
}
