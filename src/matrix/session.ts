import type { MatrixApi } from "./api.ts";

export interface MatrixSession {
  userId: string;
  deviceId: string;
  accessToken: string;
}

export interface SessionStore {
  load(): Promise<MatrixSession | undefined>;
  save(s: MatrixSession): Promise<void>;
}

/**
 * The device is stable: log in once (password), keep token and device id, reuse them on every
 * later start. An operator-supplied access token is used as is (whoami gives its device).
 */
export async function establishSession(p: {
  api: MatrixApi;
  store: SessionStore;
  userId: string;
  password?: string;
  accessToken?: string;
  deviceName: string;
}): Promise<{ session: MatrixSession; fresh: boolean }> {
  const saved = await p.store.load();
  if (saved && saved.userId === p.userId) {
    p.api.accessToken = saved.accessToken;
    return { session: saved, fresh: false };
  }
  if (p.accessToken) {
    p.api.accessToken = p.accessToken;
    const who = await p.api.whoami();
    if (!who.device_id)
      throw new Error("the access token has no device; log in with TEARLINE_PASSWORD instead");
    const session = { userId: who.user_id, deviceId: who.device_id, accessToken: p.accessToken };
    await p.store.save(session);
    return { session, fresh: true };
  }
  if (!p.password)
    throw new Error("no stored session: set TEARLINE_PASSWORD (first start) or TEARLINE_ACCESS_TOKEN");
  const res = await p.api.login(p.userId, p.password, p.deviceName);
  const session = { userId: res.user_id, deviceId: res.device_id, accessToken: res.access_token };
  p.api.accessToken = session.accessToken;
  await p.store.save(session);
  return { session, fresh: true };
}
