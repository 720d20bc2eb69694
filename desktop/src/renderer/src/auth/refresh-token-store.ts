/**
 * Where a local account's refresh token is kept between visits, shared by every tab of the app.
 *
 * Tabs take turns refreshing under one Web Lock, and each refresh rotates the token: the next
 * holder of the lock must read the token the previous holder wrote, or the server sees a rotated
 * token come back and ends the session as a replay. localStorage cannot promise that: each
 * renderer process reads its own copy, which learns of another tab's write a moment later, so a
 * tab that takes the lock right after another tab's refresh can still read the old token.
 * IndexedDB commits in the browser process before the writer releases the lock, so the next
 * holder reads the new token.
 */
export interface RefreshTokenStore {
  read(): Promise<string | null>;
  write(token: string): Promise<void>;
  clear(): Promise<void>;
  /** Another tab or window cleared the token (it signed out, or its session ended). */
  onClearedElsewhere(listener: () => void): () => void;
}

/**
 * Runs `task` while no other tab of this app refreshes (a Web Lock): tabs share one stored refresh
 * token, and using it twice would look like token theft to the server.
 */
export async function refreshLockExclusive<T>(task: () => Promise<T>): Promise<T> {
  if (typeof navigator === 'undefined' || !navigator.locks) return task();
  let result!: T;
  await navigator.locks.request('collaro.auth.refresh', async () => {
    result = await task();
  });
  return result;
}

/** Where earlier versions of Collaro kept the token; moved into IndexedDB on first read. */
export const LEGACY_REFRESH_TOKEN_KEY = 'collaro.refreshToken';

const DATABASE_NAME = 'collaro-auth';
const OBJECT_STORE = 'tokens';
const TOKEN_KEY = 'refreshToken';
const BROADCAST_CHANNEL = 'collaro.auth';

function requestResult<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

function openDatabase(): Promise<IDBDatabase> {
  const request = indexedDB.open(DATABASE_NAME, 1);
  request.onupgradeneeded = () => request.result.createObjectStore(OBJECT_STORE);
  return requestResult(request).then((database) => {
    // A future version of the app in another tab may need to upgrade the schema: let it.
    database.onversionchange = () => database.close();
    return database;
  });
}

/** The browser's store: IndexedDB for the token, a BroadcastChannel to tell other tabs it was cleared. */
export function createBrowserRefreshTokenStore(): RefreshTokenStore {
  let database: Promise<IDBDatabase> | null = null;
  const connection = () => (database ??= openDatabase());
  const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(BROADCAST_CHANNEL);

  async function transact<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
    const transaction = (await connection()).transaction(OBJECT_STORE, mode);
    const result = requestResult(work(transaction.objectStore(OBJECT_STORE)));
    // A write counts only once committed: the lock is released after this resolves.
    await new Promise<void>((resolve, reject) => {
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'));
      transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
    });
    return result;
  }

  const store: RefreshTokenStore = {
    async read() {
      const token: unknown = await transact('readonly', (objects) => objects.get(TOKEN_KEY));
      if (typeof token === 'string') return token;
      const legacy = localStorage.getItem(LEGACY_REFRESH_TOKEN_KEY);
      if (legacy === null) return null;
      await store.write(legacy);
      localStorage.removeItem(LEGACY_REFRESH_TOKEN_KEY);
      return legacy;
    },
    async write(token) {
      await transact('readwrite', (objects) => objects.put(token, TOKEN_KEY));
    },
    async clear() {
      localStorage.removeItem(LEGACY_REFRESH_TOKEN_KEY);
      await transact('readwrite', (objects) => objects.delete(TOKEN_KEY));
      channel?.postMessage('cleared');
    },
    onClearedElsewhere(listener) {
      if (!channel) return () => undefined;
      const onMessage = (event: MessageEvent) => {
        if (event.data === 'cleared') listener();
      };
      channel.addEventListener('message', onMessage);
      return () => channel.removeEventListener('message', onMessage);
    },
  };
  return store;
}
