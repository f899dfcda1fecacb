import { ReportError } from './report-error';
import { rootElementName, StreamingXmlSplitter, type XmlItem } from './xml-stream';

describe('rootElementName', () => {
  it('skips the declaration, comments and a doctype', () => {
    expect(rootElementName('<?xml version="1.0"?>\n<!-- <nope> -->\n<!DOCTYPE x [<!ELEMENT a ANY>]>\n<ns:OWASPZAPReport version="2.16">')).toBe('OWASPZAPReport');
    expect(rootElementName('no xml here')).toBeUndefined();
  });
});

describe('StreamingXmlSplitter', () => {
  const document = '<r><site name="a"><alerts><item n="1"/><item n="2">x &amp; y</item></alerts></site><site name="b"><alerts><item><![CDATA[</item>]]></item></alerts></site></r>';

  function split(text: string, slice: number): { items: XmlItem[]; skeleton: unknown } {
    // arrange
    const items: XmlItem[] = [];
    const splitter = new StreamingXmlSplitter('t.xml', ['r', 'site', 'alerts', 'item'], (item) => items.push(item));
    // act
    for (let at = 0; at < text.length; at += slice) splitter.write(text.slice(at, at + slice));
    return { items, skeleton: splitter.end() };
  }

  it.each([1, 2, 7, 1000])('hands over each item with its parents and their indices, in %i-character pieces', (slice) => {
    // act
    const { items, skeleton } = split(document, slice);
    // assert
    expect(items).toEqual([
      { value: { '@_n': '1' }, path: ['r', 'site', 0, 'alerts', 0] },
      { value: { '#text': 'x & y', '@_n': '2' }, path: ['r', 'site', 0, 'alerts', 0] },
      { value: '</item>', path: ['r', 'site', 1, 'alerts', 0] },
    ]);
    expect(skeleton).toEqual({ r: { site: [{ '@_name': 'a', alerts: '' }, { '@_name': 'b', alerts: '' }] } });
  });

  it('a cut document is a ReportError, never a partial result', () => {
    // act / assert
    expect(() => split(document.slice(0, 60), 5)).toThrow(ReportError);
  });
});
