/**
 * Byte encodings for journaled IndexedDB records (the `key` and `value` bytea columns of
 * `crypto_store_records`).
 *
 * Keys use a canonical encoding of our own rather than `v8.serialize`: the key column is part of
 * the primary key, so equal IndexedDB keys must always give equal bytes. `v8.serialize` does not:
 * it writes a string in V8's internal representation, so `"abc"` serializes to different bytes
 * when it happens to be stored two-byte (for example `"€abc".slice(1)`), and its wire-format
 * version could change with a Node upgrade. Either would leave duplicate rows for one key.
 *
 * Values only have to round-trip, so they use `v8.serialize` (structured-clone semantics, like
 * IndexedDB itself).
 */
import v8 from "node:v8";

const TAG_NUMBER = 0x01;
const TAG_DATE = 0x02;
const TAG_STRING = 0x03; // well-formed UTF-16, stored as UTF-8
const TAG_STRING_UTF16 = 0x04; // with lone surrogates, stored as UTF-16BE code units
const TAG_BINARY = 0x05;
const TAG_ARRAY = 0x06;

function header(tag: number, length: number): Buffer {
  const b = Buffer.allocUnsafe(5);
  b[0] = tag;
  b.writeUInt32BE(length, 1);
  return b;
}

function float(tag: number, n: number): Buffer {
  const b = Buffer.allocUnsafe(9);
  b[0] = tag;
  b.writeDoubleBE(n === 0 ? 0 : n, 1); // -0 and 0 are the same key
  return b;
}

function writeKey(key: unknown, out: Buffer[]): void {
  if (typeof key === "number") {
    if (Number.isNaN(key)) throw new TypeError("NaN is not a valid IndexedDB key");
    out.push(float(TAG_NUMBER, key));
  } else if (typeof key === "string") {
    const utf8 = Buffer.from(key, "utf8");
    if (utf8.toString("utf8") === key) {
      out.push(header(TAG_STRING, utf8.length), utf8);
    } else {
      const units = Buffer.allocUnsafe(key.length * 2);
      for (let i = 0; i < key.length; i++) units.writeUInt16BE(key.charCodeAt(i), i * 2);
      out.push(header(TAG_STRING_UTF16, units.length), units);
    }
  } else if (key instanceof Date) {
    out.push(float(TAG_DATE, key.getTime()));
  } else if (key instanceof ArrayBuffer) {
    out.push(header(TAG_BINARY, key.byteLength), Buffer.from(new Uint8Array(key)));
  } else if (ArrayBuffer.isView(key)) {
    out.push(header(TAG_BINARY, key.byteLength), Buffer.from(key.buffer, key.byteOffset, key.byteLength));
  } else if (Array.isArray(key)) {
    out.push(header(TAG_ARRAY, key.length));
    for (const item of key) writeKey(item, out);
  } else {
    throw new TypeError(`not a valid IndexedDB key: ${typeof key}`);
  }
}

/** Canonical bytes of an IndexedDB key: equal keys (per `indexedDB.cmp`) give equal bytes. */
export function encodeKey(key: IDBValidKey): Buffer {
  const out: Buffer[] = [];
  writeKey(key, out);
  return Buffer.concat(out);
}

/** Inverse of {@link encodeKey}; binary keys come back as `ArrayBuffer`, as IndexedDB returns them. */
export function decodeKey(bytes: Uint8Array): IDBValidKey {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  const need = (n: number): void => {
    if (pos + n > buf.length) throw new RangeError("truncated IndexedDB key");
  };
  const read = (): IDBValidKey => {
    need(1);
    const tag = buf[pos++];
    if (tag === TAG_NUMBER || tag === TAG_DATE) {
      need(8);
      const n = buf.readDoubleBE(pos);
      pos += 8;
      return tag === TAG_DATE ? new Date(n) : n;
    }
    need(4);
    const length = buf.readUInt32BE(pos);
    pos += 4;
    if (tag === TAG_ARRAY) {
      const items: IDBValidKey[] = [];
      for (let i = 0; i < length; i++) items.push(read());
      return items;
    }
    need(length);
    const body = buf.subarray(pos, pos + length);
    pos += length;
    if (tag === TAG_STRING) return body.toString("utf8");
    if (tag === TAG_STRING_UTF16) {
      let s = "";
      for (let i = 0; i < body.length; i += 2) s += String.fromCharCode(body.readUInt16BE(i));
      return s;
    }
    if (tag === TAG_BINARY) return new Uint8Array(body).buffer;
    throw new RangeError(`unknown IndexedDB key tag ${String(tag)}`);
  };
  const key = read();
  if (pos !== buf.length) throw new RangeError("trailing bytes after IndexedDB key");
  return key;
}

export function serializeValue(value: unknown): Buffer {
  return v8.serialize(value);
}

type ViewConstructor = new (buffer: ArrayBuffer) => ArrayBufferView;

const baseReadHostObject: unknown = Reflect.get(v8.DefaultDeserializer.prototype, "_readHostObject");

/**
 * Node's deserializer returns typed arrays as views into the whole serialized buffer (here: a
 * postgres receive buffer), and IndexedDB's structured clone would keep that whole buffer. Give
 * every view an exact buffer of its own instead.
 */
class OwnBufferDeserializer extends v8.DefaultDeserializer {
  _readHostObject(): unknown {
    if (typeof baseReadHostObject !== "function") throw new Error("node:v8 has no _readHostObject");
    const view: unknown = Reflect.apply(baseReadHostObject, this, []);
    if (!ArrayBuffer.isView(view)) return view;
    const copy = new Uint8Array(view.byteLength);
    copy.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
    if (Buffer.isBuffer(view)) return Buffer.from(copy.buffer);
    if (view instanceof DataView) return new DataView(copy.buffer);
    const Ctor = view.constructor as ViewConstructor;
    return new Ctor(copy.buffer);
  }
}

export function deserializeValue(bytes: Uint8Array): unknown {
  const d = new OwnBufferDeserializer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  d.readHeader();
  return d.readValue();
}
