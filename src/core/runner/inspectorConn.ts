// The preload's in-process inspector connection (bundled into dist/preload.js: no imports).
//
// Why not only `inspector.Session`: a Session parses every reply (JSON.parse), so writing a
// profile costs V8's serialisation, then a JSON.parse and a JSON.stringify of megabytes, all on
// the target's main thread and mostly inside its 'exit' handler. Measured here on the tsc
// workload's 3 MB CPU and 2.7 MB heap profiles: parse 45-95 ms and stringify 20-77 ms each.
// The binding under Session (`process.binding('inspector').Connection`, the same object
// lib/inspector.js uses) hands over the reply text as V8 wrote it, so `postRaw` returns the
// profile's JSON text to write as is. Replies arrive synchronously, inside `dispatch`.
//
// The binding is internal: when it is missing, or when `process.binding` would print a
// deprecation warning into the target's output (--pending-deprecation), the Session is used.

export interface InspectorConn {
  /** The reply's `result`, parsed. Throws the protocol error. Synchronous (needed inside 'exit'). */
  post(method: string, params?: object): any;
  /** The reply's `result[key]` as JSON text, not parsed. */
  postRaw(method: string, key: string, params?: object): string;
  /** Protocol events (e.g. Profiler.consoleProfileFinished), parsed. */
  on(event: string, listener: (params: any) => void): void;
  disconnect(): void;
  readonly kind: 'raw' | 'session';
}

/** `prefer` 'session' skips the raw binding (the HOTPATH_INSPECTOR switch, for tests and benchmarks). */
export function connectInspector(prefer?: string): InspectorConn {
  const raw = prefer === 'session' ? undefined : rawConnection();
  if (raw) {
    try {
      return new RawConn(raw);
    } catch {
      // fall through to the public API
    }
  }
  return new SessionConn();
}

function rawConnection(): (new (onMessage: (msg: string) => void) => { dispatch(msg: string): void; disconnect(): void }) | undefined {
  const pending = process.execArgv.includes('--pending-deprecation') || /--pending-deprecation/.test(process.env.NODE_OPTIONS ?? '')
    || process.env.NODE_PENDING_DEPRECATION === '1';
  if (pending || typeof (process as any).binding !== 'function') return undefined;
  try {
    const Connection = (process as any).binding('inspector')?.Connection;
    return typeof Connection === 'function' ? Connection : undefined;
  } catch {
    return undefined;
  }
}

class RawConn implements InspectorConn {
  readonly kind = 'raw';
  private conn: { dispatch(msg: string): void; disconnect(): void };
  private nextId = 0;
  private reply: string | undefined;
  private listeners = new Map<string, ((params: any) => void)[]>();

  constructor(Connection: new (onMessage: (msg: string) => void) => { dispatch(msg: string): void; disconnect(): void }) {
    this.conn = new Connection((msg: string) => this.onMessage(msg));
  }

  private onMessage(msg: string): void {
    // Replies begin {"id":N,...}; events {"method":"...","params":...}.
    if (msg.startsWith('{"id":')) {
      this.reply = msg;
      return;
    }
    let event: { method?: string; params?: unknown };
    try { event = JSON.parse(msg); } catch { return; }
    for (const l of this.listeners.get(event.method ?? '') ?? []) l(event.params);
  }

  private send(method: string, params?: object): { id: number; text: string } {
    const id = ++this.nextId;
    this.reply = undefined;
    this.conn.dispatch(JSON.stringify({ id, method, params: params ?? {} }));
    const text = this.reply as string | undefined;
    this.reply = undefined;
    if (text === undefined) throw new Error(`${method} did not answer synchronously`);
    return { id, text };
  }

  post(method: string, params?: object): any {
    const reply = JSON.parse(this.send(method, params).text);
    if (reply.error) throw new Error(`${method}: ${reply.error.message ?? JSON.stringify(reply.error)}`);
    return reply.result;
  }

  postRaw(method: string, key: string, params?: object): string {
    const { id, text } = this.send(method, params);
    // The protocol's Profiler.stop and HeapProfiler.{stop,get}Sampling* results hold one key.
    const head = `{"id":${id},"result":{${JSON.stringify(key)}:`;
    if (text.startsWith(head) && text.endsWith('}}')) {
      const body = text.slice(head.length, -2);
      if (body.startsWith('{') && body.endsWith('}')) return body;
    }
    const reply = JSON.parse(text);
    if (reply.error) throw new Error(`${method}: ${reply.error.message ?? JSON.stringify(reply.error)}`);
    if (reply.result?.[key] === undefined) throw new Error(`${method}: no ${key} in the reply`);
    return JSON.stringify(reply.result[key]);
  }

  on(event: string, listener: (params: any) => void): void {
    const ls = this.listeners.get(event) ?? [];
    ls.push(listener);
    this.listeners.set(event, ls);
  }

  disconnect(): void {
    this.conn.disconnect();
  }
}

class SessionConn implements InspectorConn {
  readonly kind = 'session';
  private session: any;

  constructor() {
    const inspector = require('inspector');
    this.session = new inspector.Session();
    this.session.connect();
  }

  post(method: string, params?: object): any {
    let out: { err: Error | null; res: any } | undefined;
    this.session.post(method, params ?? {}, (err: Error | null, res: any) => { out = { err, res }; });
    if (!out) throw new Error(`${method} did not answer synchronously`);
    if (out.err) throw out.err;
    return out.res;
  }

  postRaw(method: string, key: string, params?: object): string {
    const result = this.post(method, params);
    if (result?.[key] === undefined) throw new Error(`${method}: no ${key} in the reply`);
    return JSON.stringify(result[key]);
  }

  on(event: string, listener: (params: any) => void): void {
    this.session.on(event, (m: { params: unknown }) => listener(m.params));
  }

  disconnect(): void {
    this.session.disconnect();
  }
}
