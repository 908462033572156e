/** Identifier shapes shared by the schema and the cross-reference checks. */
export const PARTNER_CODE = /^[A-Z0-9]{2,8}$/;
export const ROOM_ALIAS = /^[a-z0-9-]+$/;
/** A server name: DNS name, IPv4 or [IPv6] literal, optional port (spec appendix "Server name"). */
const SERVER = String.raw`(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?`;
/**
 * A room ID of any room version: `!opaque:server` (versions 1–11) or, from version 12 (MSC4291,
 * Synapse's default), `!` and the create event's reference hash — 43 unpadded url-safe base64
 * characters — with no server part. Nothing may derive a server name from a room ID.
 */
export const ROOM_ID = new RegExp(String.raw`^(?=.{2,255}$)!(?:[A-Za-z0-9_-]{43}|[^:\s]+:${SERVER})$`);
export const USER_ID = new RegExp(String.raw`^@[^:\s]+:${SERVER}$`);
