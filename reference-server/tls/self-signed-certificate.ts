/**
 * A self-signed X.509 certificate for the TLS mode (`serve --tls`, option `tls: true`), made at
 * startup for the loopback names (`localhost`, 127.0.0.1, ::1) and never written to disk by the
 * server. node:crypto makes and signs keys but cannot build a certificate, so the DER structure
 * (RFC 5280: TBSCertificate, subjectAltName, basicConstraints) is encoded here; node:crypto signs
 * it (ECDSA P-256 with SHA-256), and node's own X509Certificate parser checks the result in tests.
 */
import { generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';

export interface SelfSignedCertificate {
  /** PEM of the certificate: give it to clients as a trust anchor (public, no secret). */
  cert: string;
  /** PEM (PKCS#8) of the private key: stays in the server process. */
  key: string;
}

export interface CertificateOptions {
  /** DNS names and IP addresses for subjectAltName (default localhost, 127.0.0.1, ::1). */
  names?: readonly string[];
  /** Lifetime from now (default 30 days); valid from an hour ago, for clock differences. */
  validForMs?: number;
  now?: number;
}

const DEFAULT_NAMES = ['localhost', '127.0.0.1', '::1'];
const DAY_MS = 24 * 60 * 60 * 1000;

// --- DER (X.690) encoding, only the types a certificate needs ---------------------------------

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), encodeLength(body.length), body]);
}

const sequence = (...items: Buffer[]): Buffer => tlv(0x30, ...items);
const set = (...items: Buffer[]): Buffer => tlv(0x31, ...items);
const octetString = (content: Buffer): Buffer => tlv(0x04, content);
const bitString = (content: Buffer): Buffer => tlv(0x03, Buffer.from([0]), content);
const utf8String = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'));
const booleanTrue = (): Buffer => tlv(0x01, Buffer.from([0xff]));
const explicit = (n: number, content: Buffer): Buffer => tlv(0xa0 | n, content);

/** A non-negative INTEGER from big-endian bytes (a leading 0x00 keeps the sign bit clear). */
function integer(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0 && ((bytes[start + 1] ?? 0) & 0x80) === 0) start++;
  const trimmed = bytes.subarray(start);
  return tlv(0x02, ((trimmed[0] ?? 0) & 0x80) !== 0 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * first + second];
  for (const arc of rest) {
    const groups: number[] = [];
    for (let n = arc; ; n = Math.floor(n / 128)) {
      groups.unshift(n % 128);
      if (n < 128) break;
    }
    bytes.push(...groups.map((g, i) => (i < groups.length - 1 ? g | 0x80 : g)));
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** UTCTime (years 1950-2049) as RFC 5280 requires for those years: YYMMDDHHMMSSZ. */
function utcTime(ms: number): Buffer {
  const iso = new Date(ms).toISOString();
  const text = `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return tlv(0x17, Buffer.from(text, 'ascii'));
}

/** IPv4 or IPv6 text -> its 4 or 16 address bytes. */
function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  const [head = '', tail = ''] = ip.split('::');
  const parts = (s: string): number[] => (s === '' ? [] : s.split(':').map((h) => parseInt(h, 16)));
  const before = parts(head);
  const after = ip.includes('::') ? parts(tail) : [];
  const groups = [...before, ...new Array<number>(8 - before.length - after.length).fill(0), ...after];
  return Buffer.from(groups.flatMap((g) => [g >> 8, g & 0xff]));
}

// --- the certificate ---------------------------------------------------------------------------

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
};

function extension(id: string, value: Buffer, critical = false): Buffer {
  return sequence(oid(id), ...(critical ? [booleanTrue()] : []), octetString(value));
}

/** Makes a key pair and a self-signed certificate for the given loopback names. */
export function createSelfSignedCertificate(opts: CertificateOptions = {}): SelfSignedCertificate {
  const names = opts.names ?? DEFAULT_NAMES;
  const now = opts.now ?? Date.now();
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const algorithm = sequence(oid(OID.ecdsaWithSha256));
  const name = sequence(set(sequence(oid(OID.commonName), utf8String('fhir-async-conformance reference server'))));
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  // subjectAltName: dNSName [2] and iPAddress [7], both IMPLICIT.
  const altNames = sequence(...names.map((n) => (isIP(n) ? tlv(0x87, ipBytes(n)) : tlv(0x82, Buffer.from(n, 'ascii')))));
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))), // version v3
    integer(serial),
    algorithm,
    name, // issuer
    sequence(utcTime(now - 60 * 60 * 1000), utcTime(now + (opts.validForMs ?? 30 * DAY_MS))),
    name, // subject = issuer: self-signed
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(extension(OID.basicConstraints, sequence(booleanTrue()), true), extension(OID.subjectAltName, altNames))),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = sequence(tbs, algorithm, bitString(signature));
  const cert = new X509Certificate(der).toString();
  return { cert, key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}
