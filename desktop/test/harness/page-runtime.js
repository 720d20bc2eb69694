// @ts-nocheck
/**
 * Runs in every window's page before any of its own scripts (an init script), as Electron runs a
 * sandboxed preload. It gives the window's real preload bundle what a sandboxed preload gets
 * (`require` of electron/events/timers/url, a renderer `process`), a `contextBridge` that copies
 * what it exposes into the page, and an `ipcRenderer` wired through the harness to main's real
 * `ipcMain`. It also routes the page's permission requests (camera and microphone, screen capture,
 * notifications, local network access) to main's session handlers before Chromium acts on them.
 *
 * Not transpiled: this text is injected as is.
 */
(function collaroHarnessPageRuntime(config, preloadMain) {
  'use strict';
  if (window.top !== window) return;
  const call = (operation, payload) => window[config.bindingName](operation, payload);
  const report = (message) => {
    void call('violation', { message });
  };

  // ---- ipcRenderer: invoke, send and on, through the harness to main's ipcMain.
  const listeners = new Map();
  // While probing, calls are recorded and not sent: the test learns which channels each exposed action uses.
  let probe = null;
  const cloneForIpc = (args, what) => {
    try {
      return structuredClone(args);
    } catch (error) {
      throw new Error(`${what}: An object could not be cloned. (${error && error.message})`, { cause: error });
    }
  };
  const ipcRenderer = {
    invoke(channel, ...args) {
      if (probe) {
        probe.invoked.add(channel);
        return new Promise(() => undefined);
      }
      let cloned;
      try {
        cloned = cloneForIpc(args, `ipcRenderer.invoke('${channel}')`);
      } catch (error) {
        return Promise.reject(error);
      }
      return call('ipc.invoke', { channel, args: cloned }).then((reply) => {
        if (reply.ok) return reply.value;
        throw new Error(reply.message);
      });
    },
    send(channel, ...args) {
      if (probe) {
        probe.sent.add(channel);
        return;
      }
      void call('ipc.send', { channel, args: cloneForIpc(args, `ipcRenderer.send('${channel}')`) });
    },
    sendSync(channel) {
      report(`the preload used ipcRenderer.sendSync('${channel}'), which blocks the page; the harness does not emulate it`);
      throw new Error('ipcRenderer.sendSync is not emulated');
    },
    on(channel, listener) {
      if (probe) {
        probe.subscribed.add(channel);
        return ipcRenderer;
      }
      const list = listeners.get(channel) ?? [];
      list.push(listener);
      listeners.set(channel, list);
      return ipcRenderer;
    },
    once(channel, listener) {
      const wrapped = (...args) => {
        ipcRenderer.removeListener(channel, wrapped);
        listener(...args);
      };
      return ipcRenderer.on(channel, wrapped);
    },
    removeListener(channel, listener) {
      const list = listeners.get(channel) ?? [];
      const index = list.indexOf(listener);
      if (index >= 0) list.splice(index, 1);
      return ipcRenderer;
    },
    removeAllListeners(channel) {
      if (channel === undefined) listeners.clear();
      else listeners.delete(channel);
      return ipcRenderer;
    },
    listenerCount(channel) {
      return (listeners.get(channel) ?? []).length;
    },
    postMessage(channel) {
      report(`ipcRenderer.postMessage('${channel}') is not emulated`);
      throw new Error('ipcRenderer.postMessage is not emulated');
    },
    sendToHost(channel) {
      report(`ipcRenderer.sendToHost('${channel}') is for webviews, which Collaro does not use`);
      throw new Error('ipcRenderer.sendToHost is not emulated');
    },
  };
  ipcRenderer.addListener = ipcRenderer.on;
  ipcRenderer.off = ipcRenderer.removeListener;
  // How webContents.send reaches this page: hidden, and not part of any bridge.
  Object.defineProperty(window, config.deliverName, {
    value: (channel, args) => {
      const event = { sender: ipcRenderer, senderId: 0, ports: [] };
      for (const listener of [...(listeners.get(channel) ?? [])]) listener(event, ...args);
      return (listeners.get(channel) ?? []).length;
    },
    enumerable: false,
  });

  // ---- contextBridge: what the preload exposes reaches the page as copies; functions as proxies.
  const copyError = (error) => {
    const copy = new Error(error && error.message !== undefined ? error.message : String(error));
    if (error && error.name) copy.name = error.name;
    return copy;
  };
  const intoPage = (value, depth = 0) => {
    if (depth > 100) throw new Error('contextBridge: object graph too deep');
    if (typeof value === 'function') return (...args) => intoPage(value(...args.map((arg) => fromPage(arg, depth + 1))), depth + 1);
    if (value instanceof Promise)
      return value.then(
        (result) => intoPage(result, depth + 1),
        (error) => Promise.reject(copyError(error)),
      );
    if (value instanceof Error) return copyError(value);
    if (Array.isArray(value)) return value.map((item) => intoPage(item, depth + 1));
    if (value && typeof value === 'object') {
      if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof Date || value instanceof RegExp) return structuredClone(value);
      const copy = {};
      for (const key of Object.keys(value)) copy[key] = intoPage(value[key], depth + 1);
      return copy;
    }
    return value;
  };
  const fromPage = (value, depth) => {
    if (typeof value === 'function') return (...args) => value(...args.map((arg) => intoPage(arg, depth + 1)));
    return intoPage(value, depth);
  };
  const exposedKeys = [];
  const contextBridge = {
    exposeInMainWorld(key, api) {
      exposedKeys.push(key);
      if (Object.prototype.hasOwnProperty.call(window, key)) throw new Error(`Cannot bind an API on top of an existing property on the window object (${key})`);
      Object.defineProperty(window, key, { value: intoPage(api), enumerable: true, configurable: false, writable: false });
    },
    exposeInIsolatedWorld() {
      report('contextBridge.exposeInIsolatedWorld is not emulated');
      throw new Error('contextBridge.exposeInIsolatedWorld is not emulated');
    },
  };

  // ---- What a sandboxed preload can require, and its `process`.
  class EventEmitter {
    constructor() {
      this._listeners = new Map();
    }
    on(name, listener) {
      this._listeners.set(name, [...(this._listeners.get(name) ?? []), listener]);
      return this;
    }
    once(name, listener) {
      const wrapped = (...args) => {
        this.removeListener(name, wrapped);
        listener(...args);
      };
      return this.on(name, wrapped);
    }
    removeListener(name, listener) {
      this._listeners.set(
        name,
        (this._listeners.get(name) ?? []).filter((candidate) => candidate !== listener),
      );
      return this;
    }
    emit(name, ...args) {
      const list = this._listeners.get(name) ?? [];
      for (const listener of [...list]) listener(...args);
      return list.length > 0;
    }
  }
  EventEmitter.prototype.addListener = EventEmitter.prototype.on;
  EventEmitter.prototype.off = EventEmitter.prototype.removeListener;
  const electronParts = {
    contextBridge,
    ipcRenderer,
    webFrame: {
      getZoomFactor: () => 1,
      getZoomLevel: () => 0,
      setZoomFactor: () => report('webFrame.setZoomFactor from a preload is not emulated'),
      setVisualZoomLevelLimits: () => Promise.resolve(),
    },
    webUtils: { getPathForFile: () => '' },
    crashReporter: { addExtraParameter: () => undefined, removeExtraParameter: () => undefined, getParameters: () => ({}) },
  };
  const electron = new Proxy(electronParts, {
    get(target, property) {
      if (typeof property === 'string' && !(property in target) && property !== 'then' && property !== '__esModule' && property !== 'default') {
        report(`the preload reached for electron.${property}, which a sandboxed preload does not have`);
      }
      return target[property];
    },
  });
  const modules = {
    electron,
    events: Object.assign(EventEmitter, { EventEmitter, default: EventEmitter }),
    timers: { setTimeout, clearTimeout, setInterval, clearInterval, setImmediate: (fn, ...args) => setTimeout(fn, 0, ...args), clearImmediate: clearTimeout },
    url: { URL, URLSearchParams },
  };
  const sandboxRequire = (id) => {
    const name = String(id).replace(/^node:/, '');
    if (Object.prototype.hasOwnProperty.call(modules, name)) return modules[name];
    report(
      `the preload ${config.preloadName} requires '${id}': a sandboxed preload gets only electron, events, timers and url (Electron: "module not found: ${id}")`,
    );
    throw new Error(`module not found: ${id}`);
  };
  const processEmitter = new EventEmitter();
  const rendererProcess = {
    platform: config.platform,
    arch: config.arch,
    versions: config.versions,
    env: {},
    argv: [],
    execPath: '',
    pid: 0,
    type: 'renderer',
    sandboxed: true,
    contextIsolated: true,
    isMainFrame: true,
    cwd: () => '/',
    nextTick: (callback, ...args) => queueMicrotask(() => callback(...args)),
    hrtime: Object.assign(() => [0, 0], { bigint: () => BigInt(Math.round(performance.now() * 1e6)) }),
    getProcessMemoryInfo: () => Promise.resolve({ private: 0, shared: 0, residentSet: 0 }),
    on: (...args) => processEmitter.on(...args),
    once: (...args) => processEmitter.once(...args),
    removeListener: (...args) => processEmitter.removeListener(...args),
  };

  // ---- Permissions: main's session handlers decide, then Chromium enforces.
  const localNetworkPermission = (url) => {
    if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) return null;
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (config.routedHostSuffixes.some((suffix) => host === suffix || host.endsWith(`.${suffix}`))) return null;
    if (host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '::1') return 'loopback-network';
    if (
      /^10\./.test(host) ||
      /^192\.168\./.test(host) ||
      /^172\.(1[6-9]|2\d|3[01])\./.test(host) ||
      /^169\.254\./.test(host) ||
      /^f[cd][0-9a-f]{2}:/.test(host) ||
      /^fe80:/.test(host) ||
      host.endsWith('.local')
    ) {
      // Plain http to another machine is mixed content: Chromium blocks it before asking for the network.
      if (location.protocol === 'https:' && (url.protocol === 'http:' || url.protocol === 'ws:')) return null;
      return 'local-network';
    }
    return null;
  };
  const decisions = new Map();
  const decideLocalNetwork = (url) => {
    const permission = localNetworkPermission(url);
    if (!permission) return null;
    if (!decisions.has(permission)) decisions.set(permission, call('permission.request', { permission }));
    return decisions.get(permission);
  };
  const nativeFetch = window.fetch;
  window.fetch = function fetch(input, init) {
    let pending;
    try {
      pending = decideLocalNetwork(new URL(input instanceof Request ? input.url : String(input), location.href));
    } catch {
      pending = null;
    }
    if (!pending) return nativeFetch.call(window, input, init);
    return pending.then(() => nativeFetch.call(window, input, init));
  };
  const NativeWebSocket = window.WebSocket;
  /** A socket whose connection waits for main's local-network decision, as Chromium's waits for the prompt. */
  class PendingWebSocket extends EventTarget {
    constructor(url, protocols, decision) {
      super();
      this.url = new URL(url, location.href).href;
      this._protocols = protocols;
      this._socket = null;
      this._closed = false;
      this._binaryType = 'blob';
      for (const type of ['open', 'message', 'error', 'close']) this[`on${type}`] = null;
      decision.then(() => {
        if (this._closed) return;
        const socket = protocols === undefined ? new NativeWebSocket(url) : new NativeWebSocket(url, protocols);
        socket.binaryType = this._binaryType;
        this._socket = socket;
        for (const type of ['open', 'message', 'error', 'close']) {
          socket.addEventListener(type, (event) => {
            const copy =
              type === 'message'
                ? new MessageEvent('message', { data: event.data, origin: event.origin })
                : type === 'close'
                  ? new CloseEvent('close', { code: event.code, reason: event.reason, wasClean: event.wasClean })
                  : new Event(type);
            if (typeof this[`on${type}`] === 'function') this[`on${type}`](copy);
            this.dispatchEvent(copy);
          });
        }
      });
    }
    get readyState() {
      return this._socket ? this._socket.readyState : this._closed ? 3 : 0;
    }
    get protocol() {
      return this._socket ? this._socket.protocol : '';
    }
    get extensions() {
      return this._socket ? this._socket.extensions : '';
    }
    get bufferedAmount() {
      return this._socket ? this._socket.bufferedAmount : 0;
    }
    get binaryType() {
      return this._binaryType;
    }
    set binaryType(value) {
      this._binaryType = value;
      if (this._socket) this._socket.binaryType = value;
    }
    send(data) {
      if (!this._socket) throw new DOMException("Failed to execute 'send' on 'WebSocket': Still in CONNECTING state.", 'InvalidStateError');
      this._socket.send(data);
    }
    close(code, reason) {
      if (this._socket) this._socket.close(code, reason);
      else if (!this._closed) {
        this._closed = true;
        queueMicrotask(() => {
          const event = new CloseEvent('close', { code: 1006, reason: '', wasClean: false });
          if (typeof this.onclose === 'function') this.onclose(event);
          this.dispatchEvent(event);
        });
      }
    }
  }
  for (const [name, value] of Object.entries({ CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 })) {
    Object.defineProperty(PendingWebSocket, name, { value });
    Object.defineProperty(PendingWebSocket.prototype, name, { value });
  }
  window.WebSocket = function WebSocket(url, protocols) {
    let decision;
    try {
      decision = decideLocalNetwork(new URL(url, location.href));
    } catch {
      decision = null;
    }
    if (!decision) return protocols === undefined ? new NativeWebSocket(url) : new NativeWebSocket(url, protocols);
    return new PendingWebSocket(url, protocols, decision);
  };
  window.WebSocket.prototype = NativeWebSocket.prototype;
  for (const name of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) window.WebSocket[name] = NativeWebSocket[name];

  if (window.MediaDevices && navigator.mediaDevices) {
    const getUserMedia = MediaDevices.prototype.getUserMedia;
    MediaDevices.prototype.getUserMedia = async function (constraints) {
      const mediaTypes = [];
      if (constraints && constraints.audio) mediaTypes.push('audio');
      if (constraints && constraints.video) mediaTypes.push('video');
      const granted = await call('permission.request', { permission: 'media', mediaTypes });
      if (!granted) throw new DOMException('Permission denied', 'NotAllowedError');
      return getUserMedia.call(this, constraints);
    };
    const getDisplayMedia = MediaDevices.prototype.getDisplayMedia;
    MediaDevices.prototype.getDisplayMedia = async function (constraints = {}) {
      const userGesture = navigator.userActivation ? navigator.userActivation.isActive : false;
      const answer = await call('displayMedia.request', { audio: Boolean(constraints.audio), video: constraints.video !== false, userGesture });
      if (!answer.granted) throw new DOMException('Permission denied', 'NotAllowedError');
      // Chromium's fake screen stands in for the source main chose; the track carries that source's name.
      const stream = await getDisplayMedia.call(this, { video: true, audio: false });
      for (const track of stream.getVideoTracks()) Object.defineProperty(track, 'label', { value: answer.name });
      return stream;
    };
  }
  if (window.Notification) {
    const requestPermission = Notification.requestPermission.bind(Notification);
    Notification.requestPermission = async function (callback) {
      await call('permission.request', { permission: 'notifications' });
      const result = await requestPermission();
      if (typeof callback === 'function') callback(result);
      return result;
    };
  }
  window.open = function open(url, target, features) {
    const href = url === undefined || url === '' ? 'about:blank' : new URL(String(url), location.href).href;
    void call('window.open', { url: href, frameName: target ? String(target) : '', features: features ? String(features) : '' });
    return null;
  };

  // Calls every function the preload exposed, recording the channels each one reaches.
  Object.defineProperty(window, config.probeName, {
    value: () => {
      probe = { invoked: new Set(), sent: new Set(), subscribed: new Set() };
      const visit = (value, depth) => {
        if (typeof value === 'function') {
          try {
            const result = value(() => undefined);
            if (result && typeof result.catch === 'function') result.catch(() => undefined);
          } catch {
            // An action that validates its argument may refuse none: the channel is still recorded if reached.
          }
        } else if (value && typeof value === 'object' && depth < 4) {
          for (const key of Object.keys(value)) visit(value[key], depth + 1);
        }
      };
      try {
        for (const key of exposedKeys) visit(window[key], 0);
        return { exposed: [...exposedKeys], invoked: [...probe.invoked].sort(), sent: [...probe.sent].sort(), subscribed: [...probe.subscribed].sort() };
      } finally {
        probe = null;
      }
    },
    enumerable: false,
  });

  // ---- What the window's Content-Security-Policy blocked: the app asked for something its own
  // policy forbids, which Electron would block the same way. Chromium logs some refusals to the
  // console but not all (a caught eval is silent), so the event is the record.
  document.addEventListener('securitypolicyviolation', (event) => {
    const where = event.sourceFile ? ` (${event.sourceFile}:${event.lineNumber})` : '';
    report(`its Content-Security-Policy blocked ${event.blockedURI || 'a resource'} (${event.effectiveDirective})${where}`);
  });

  // ---- Title and context-menu details, which Electron takes from the renderer.
  let lastTitle = null;
  const reportTitle = () => {
    if (document.title === lastTitle) return;
    lastTitle = document.title;
    void call('title', { title: document.title });
  };
  document.addEventListener('DOMContentLoaded', () => {
    reportTitle();
    new MutationObserver(reportTitle).observe(document.head ?? document.documentElement, { subtree: true, childList: true, characterData: true });
  });
  Object.defineProperty(window, config.contextMenuName, {
    value: (x, y) => {
      const target = document.elementFromPoint(x, y);
      const link = target && target.closest ? target.closest('a[href]') : null;
      const editable = target && (target.isContentEditable || ['INPUT', 'TEXTAREA'].includes(target.tagName));
      const selection = String(window.getSelection() ?? '');
      const image = target && target.tagName === 'IMG' ? target : null;
      return {
        x,
        y,
        linkURL: link ? link.href : '',
        linkText: link ? link.textContent.trim() : '',
        selectionText: selection,
        isEditable: Boolean(editable),
        editFlags: {
          canUndo: Boolean(editable),
          canRedo: Boolean(editable),
          canCut: Boolean(editable) && selection !== '',
          canCopy: selection !== '',
          canPaste: Boolean(editable),
          canDelete: Boolean(editable) && selection !== '',
          canSelectAll: true,
        },
        mediaType: image ? 'image' : 'none',
        srcURL: image ? image.src : '',
      };
    },
    enumerable: false,
  });

  // ---- Finally the window's preload, before any script of the page.
  if (preloadMain) {
    const module = { exports: {} };
    try {
      preloadMain.call(module.exports, sandboxRequire, module, module.exports, rendererProcess, window, config.preloadPath, config.preloadDirectory);
    } catch (error) {
      report(`the preload ${config.preloadName} threw: ${(error && error.stack) || error}`);
    }
  }
});
