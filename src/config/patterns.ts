/** Identifier shapes shared by the schema and the cross-reference checks. */
export const PARTNER_CODE = /^[A-Z0-9]{2,8}$/;
export const ROOM_ALIAS = /^[a-z0-9-]+$/;
export const ROOM_ID = /^![^:\s]+:[A-Za-z0-9.-]+(?::\d{1,5})?$/;
export const USER_ID = /^@[^:\s]+:[A-Za-z0-9.-]+(?::\d{1,5})?$/;
