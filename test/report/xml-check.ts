/**
 * A small, strict XML 1.0 well-formedness checker for the reports we write (no DTDs).
 * Throws an Error naming the offset on the first problem; otherwise returns the element tree
 * with entity references and CDATA decoded, so tests can assert the report's shape.
 * Names are restricted to ASCII, which is stricter than XML and enough for JUnit.
 */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Character data directly inside this element (text and CDATA, decoded). */
  text: string;
}

// Anything outside the XML 1.0 Char production (checked on UTF-16 code units).
const ILLEGAL_CHAR =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
const SPACE = /[ \t\r\n]*/y;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function isLegalCodePoint(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

class Parser {
  private pos = 0;
  constructor(private readonly src: string) {}

  fail(message: string): never {
    throw new Error(`${message} at offset ${this.pos}: ${JSON.stringify(this.src.slice(this.pos, this.pos + 40))}`);
  }

  startsWith(token: string): boolean {
    return this.src.startsWith(token, this.pos);
  }

  expect(token: string): void {
    if (!this.startsWith(token)) this.fail(`expected ${JSON.stringify(token)}`);
    this.pos += token.length;
  }

  skipSpace(): boolean {
    SPACE.lastIndex = this.pos;
    SPACE.exec(this.src);
    const moved = SPACE.lastIndex > this.pos;
    this.pos = SPACE.lastIndex;
    return moved;
  }

  readName(): string {
    NAME.lastIndex = this.pos;
    const match = NAME.exec(this.src);
    if (!match) this.fail('expected a name');
    this.pos = NAME.lastIndex;
    return match[0];
  }

  /** Reads up to `end`, returning the text in between; `end` is consumed. */
  readUntil(end: string, what: string): string {
    const at = this.src.indexOf(end, this.pos);
    if (at < 0) this.fail(`unterminated ${what}`);
    const text = this.src.slice(this.pos, at);
    this.pos = at + end.length;
    return text;
  }

  /** Decodes `&...;` references in raw text, rejecting bare `&` and `<`. */
  decode(raw: string, where: string): string {
    if (raw.includes('<')) this.fail(`raw '<' in ${where}`);
    return raw.replace(/&([^;]*);?/g, (whole, body: string) => {
      if (!whole.endsWith(';')) this.fail(`bare '&' in ${where}`);
      const named = ENTITIES[body];
      if (named !== undefined) return named;
      const num = /^#x([0-9a-fA-F]+)$/.exec(body) ?? /^#([0-9]+)$/.exec(body);
      if (!num?.[1]) this.fail(`unknown entity &${body}; in ${where}`);
      const cp = Number.parseInt(num[1], body.startsWith('#x') ? 16 : 10);
      if (!isLegalCodePoint(cp)) this.fail(`reference to illegal character &${body}; in ${where}`);
      return String.fromCodePoint(cp);
    });
  }

  skipMisc(): void {
    for (;;) {
      this.skipSpace();
      if (this.startsWith('<!--')) this.readComment();
      else if (this.startsWith('<?')) this.readPi();
      else return;
    }
  }

  readComment(): void {
    this.expect('<!--');
    const body = this.readUntil('-->', 'comment');
    if (body.includes('--') || body.endsWith('-')) this.fail("'--' inside a comment");
  }

  readPi(): void {
    this.expect('<?');
    if (this.readName().toLowerCase() === 'xml') this.fail('XML declaration not at the start');
    this.readUntil('?>', 'processing instruction');
  }

  readElement(): XmlElement {
    this.expect('<');
    const element: XmlElement = { name: this.readName(), attributes: {}, children: [], text: '' };
    for (;;) {
      const spaced = this.skipSpace();
      if (this.startsWith('/>')) {
        this.pos += 2;
        return element;
      }
      if (this.startsWith('>')) {
        this.pos += 1;
        break;
      }
      if (!spaced) this.fail('expected whitespace before an attribute');
      const name = this.readName();
      if (name in element.attributes) this.fail(`duplicate attribute ${name}`);
      this.skipSpace();
      this.expect('=');
      this.skipSpace();
      const quote = this.src[this.pos];
      if (quote !== '"' && quote !== "'") this.fail(`unquoted value for attribute ${name}`);
      this.pos += 1;
      element.attributes[name] = this.decode(this.readUntil(quote, 'attribute value'), `attribute ${name}`);
    }
    this.readContent(element);
    return element;
  }

  readContent(element: XmlElement): void {
    for (;;) {
      const next = this.src.indexOf('<', this.pos);
      if (next < 0) this.fail(`unclosed element <${element.name}>`);
      const raw = this.src.slice(this.pos, next);
      if (raw.includes(']]>')) this.fail("']]>' in character data");
      element.text += this.decode(raw, `<${element.name}> text`);
      this.pos = next;
      if (this.startsWith('</')) {
        this.pos += 2;
        const name = this.readName();
        if (name !== element.name) this.fail(`</${name}> closes <${element.name}>`);
        this.skipSpace();
        this.expect('>');
        return;
      }
      if (this.startsWith('<![CDATA[')) {
        this.pos += '<![CDATA['.length;
        element.text += this.readUntil(']]>', 'CDATA section');
      } else if (this.startsWith('<!--')) this.readComment();
      else if (this.startsWith('<?')) this.readPi();
      else if (this.startsWith('<!')) this.fail('unexpected markup declaration');
      else element.children.push(this.readElement());
    }
  }

  parseDocument(): XmlElement {
    const illegal = ILLEGAL_CHAR.exec(this.src);
    if (illegal) {
      this.pos = illegal.index;
      this.fail(`illegal XML 1.0 character U+${illegal[0].charCodeAt(0).toString(16).padStart(4, '0')}`);
    }
    if (this.startsWith('<?xml')) {
      const decl = this.readUntil('?>', 'XML declaration');
      const declaration = /^<\?xml\s+version=(["'])1\.0\1(\s+encoding=(["'])[A-Za-z][-A-Za-z0-9._]*\3)?(\s+standalone=(["'])(yes|no)\5)?\s*$/;
      if (!declaration.test(decl)) {
        this.fail('malformed XML declaration');
      }
    }
    this.skipMisc();
    if (this.src[this.pos] !== '<') this.fail('expected the root element');
    const root = this.readElement();
    this.skipMisc();
    if (this.pos !== this.src.length) this.fail('content after the root element');
    return root;
  }
}

/** Parses `xml`, throwing on anything that is not well-formed XML 1.0. */
export function parseXml(xml: string): XmlElement {
  return new Parser(xml).parseDocument();
}

/** All descendants (depth first) with the given element name. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  return element.children.flatMap((child) => [...(child.name === name ? [child] : []), ...findAll(child, name)]);
}
