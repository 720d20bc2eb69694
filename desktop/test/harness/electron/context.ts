import type { ControlChannel } from '../control-channel.js';
import type { ChildLaunchOptions } from '../harness-types.js';

/**
 * What every part of the emulated Electron shares: the channel to the test, the launch options,
 * whether `ready` has fired, and the one way to report a broken Electron rule.
 */
export class EmulationContext {
  ready = false;
  quitting = false;
  readonly logs: string[] = [];

  constructor(
    readonly control: ControlChannel,
    readonly options: ChildLaunchOptions,
  ) {}

  /**
   * Reports a rule of Electron that main broke. The test fails on it (every harness test checks the
   * violations at the end), and the caller throws where Electron itself would throw.
   */
  violation(message: string): Error {
    const error = new Error(`[desktop harness] ${message}`);
    this.control.notify('violation', { message, stack: error.stack ?? '' });
    return error;
  }

  /** Electron refuses this before `ready`: report it and throw, as Electron does. */
  requireReady(what: string): void {
    if (!this.ready) throw this.violation(`${what} before the app is ready: Electron refuses it (wait for app.whenReady())`);
  }

  log(message: string): void {
    this.logs.push(message);
    if (this.logs.length > 500) this.logs.shift();
  }
}

/** Names every object may be asked for without being an emulated API (promises, inspection, JSON). */
const HARMLESS = new Set(['then', 'toJSON', 'constructor', 'inspect', 'asymmetricMatch', '$$typeof', 'nodeType', 'toString', 'valueOf']);

/**
 * Wraps an emulated Electron object so that reaching for something the emulation lacks is reported
 * by name instead of quietly being `undefined`: a gap in the harness must never look like a pass.
 */
export function strict<T extends object>(target: T, name: string, context: EmulationContext): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      if (typeof property === 'symbol' || property in object || HARMLESS.has(property) || property.startsWith('_')) {
        return Reflect.get(object, property, receiver) as unknown;
      }
      context.violation(`${name}.${property} is not emulated by the desktop harness: add it to desktop/test/harness/electron`);
      return undefined;
    },
  });
}

/** An Electron event object: `preventDefault()` and `defaultPrevented`, plus any details. */
export function electronEvent<D extends object>(details?: D): D & { defaultPrevented: boolean; preventDefault(): void } {
  const event = {
    ...(details ?? ({} as D)),
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}
