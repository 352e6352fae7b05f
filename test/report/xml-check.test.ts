import { describe, it, expect } from 'vitest';
import { findAll, parseXml } from './xml-check.js';

// The checker guards the JUnit tests, so it must itself be shown to reject bad documents.
describe('xml-check (test helper)', () => {
  it('parses a well-formed document and decodes entities and CDATA', () => {
    const root = parseXml(
      '<?xml version="1.0" encoding="UTF-8"?>\n<a x="1 &amp; &lt;2&gt;" y=\'q\'>t &#x41;&#66;<b/><!-- c --><c><![CDATA[x]]]]><![CDATA[>y <&>]]></c></a>\n',
    );
    expect(root.name).toBe('a');
    expect(root.attributes).toEqual({ x: '1 & <2>', y: 'q' });
    expect(root.text).toBe('t AB');
    expect(findAll(root, 'c')[0]?.text).toBe('x]]>y <&>');
    expect(findAll(root, 'b')).toHaveLength(1);
  });

  const bad: Array<[string, string]> = [
    ['unclosed element', '<a><b></a>'],
    ['mismatched end tag', '<a></b>'],
    ['missing end tag', '<a>'],
    ['unquoted attribute', '<a x=1/>'],
    ['attribute without whitespace', '<a x="1"y="2"/>'],
    ['duplicate attribute', '<a x="1" x="2"/>'],
    ['raw < in attribute', '<a x="<"/>'],
    ['bare & in text', '<a>fish & chips</a>'],
    ['unknown entity', '<a>&nbsp;</a>'],
    ['reference to NUL', '<a>&#0;</a>'],
    ['NUL character', '<a>\u0000</a>'],
    ['ESC character', '<a x="\u001b"/>'],
    ['U+FFFE', '<a>\ufffe</a>'],
    ['lone high surrogate', '<a>\ud800</a>'],
    ['lone low surrogate', '<a>x\udc00</a>'],
    [']]> in text', '<a>x]]>y</a>'],
    ['CDATA broken by an inner ]]>', '<a><![CDATA[x]]>y]]></a>'],
    ['unterminated CDATA', '<a><![CDATA[x</a>'],
    ['two roots', '<a/><b/>'],
    ['text after root', '<a/>x'],
    ['declaration not first', ' <?xml version="1.0"?><a/>'],
    ['malformed declaration', '<?xml version="2.0"?><a/>'],
    ['-- in comment', '<a><!-- x -- y --></a>'],
  ];
  it.each(bad)('rejects: %s', (_label, xml) => {
    expect(() => parseXml(xml)).toThrow();
  });

  it('accepts a valid surrogate pair and tabs/newlines', () => {
    expect(parseXml('<a>\ud83d\ude00\t\r\n</a>').text).toBe('\ud83d\ude00\t\r\n');
  });
});
