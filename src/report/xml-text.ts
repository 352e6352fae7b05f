import { randomUUID } from 'node:crypto';

/**
 * Making arbitrary text safe for an XML 1.0 document built by junit-report-builder.
 *
 * Why not rely on the library: it builds with xmlbuilder 15 and `invalidCharReplacement: ''`,
 * whose CDATA path (1) replaces only the FIRST `]]>` (`String.replace` with a string pattern),
 * so a second `]]>` ends the section early, and (2) splits `]]>` BEFORE stripping illegal
 * characters, so `]]\u0000>` turns into a raw `]]>`. Its lone-low-surrogate pattern also
 * deletes the character in front of the surrogate. So we strip illegal characters ourselves
 * and replace every `]]>` in CDATA text with a random token that `restore` turns into a
 * correct split (`]]]]><![CDATA[>`) in the finished document.
 */

// Not allowed in XML 1.0: C0 controls except \t \n \r, lone surrogates, U+FFFE, U+FFFF.
const XML10_ILLEGAL =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Removes every character XML 1.0 does not allow; everything else is kept. */
export function stripInvalidXmlChars(text: string): string {
  return text.replace(XML10_ILLEGAL, '');
}

export interface CdataGuard {
  /** For attribute values and element text: illegal characters stripped. */
  text(value: string): string;
  /** For CDATA content: illegal characters stripped, every `]]>` replaced by the token. */
  cdata(value: string): string;
  /** Turns the tokens in a finished document into `]]]]><![CDATA[>`. */
  restore(xml: string): string;
}

export function createCdataGuard(): CdataGuard {
  // Private-use delimiters plus a random UUID: the target cannot predict it.
  const token = `\ue000cdata-${randomUUID()}\ue001`;
  const text = (value: string): string => stripInvalidXmlChars(value).split(token).join('');
  return {
    text,
    cdata: (value) => text(value).split(']]>').join(token),
    restore: (xml) => xml.split(token).join(']]]]><![CDATA[>'),
  };
}
