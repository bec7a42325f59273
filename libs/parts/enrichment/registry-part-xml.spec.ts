import { describe, expect, test } from 'vitest';
import { httpUrlOrNull, parseRegistryPartXml, parseRegistryPartXmlInSlices, RegistryXmlError, servableExtras } from './registry-part-xml';

// The layout of the Registry's answer to /cgi/xml/part.cgi?part=BBa_B0034
// (comments before the root and inside, empty elements written `<x/>`,
// subparts carrying part names of their own).
const B0034 = `<?xml version="1.0" encoding="utf-8" standalone="yes" ?>
<!--
Parts from the iGEM Registry of Standard Biological Parts
-->
<rsbpml>
<part_list>
<part>
<part_id>151</part_id>
<part_name>BBa_B0034</part_name>
<part_short_name>B0034</part_short_name>
<part_short_desc>RBS (Elowitz 1999) -- defines RBS efficiency</part_short_desc>
<part_type>RBS</part_type>
<release_status>Released HQ 2013</release_status>
<sample_status>In stock</sample_status>
<part_results>Works</part_results>
<part_nickname/>
<part_rating>1</part_rating>
<part_url>http://parts.igem.org/Part:BBa_B0034</part_url>
<part_entered>2003-01-31</part_entered>
<part_author>Vinay S Mahajan, Voichita D. Marinescu, Brian Chow, Alexander D Wissner-Gross and Peter Carr IAP, 2003</part_author>
<deep_subparts>
<subpart><part_id>187</part_id><part_name>BBa_R0040</part_name><part_url>javascript:alert(1)</part_url></subpart>
</deep_subparts>
<specified_subparts/>
<specified_subscars/>
<sequences>
<seq_data>aaagaggagaaa</seq_data>
</sequences>
<features>
<feature><id>23325</id><title/><type>conserved</type><direction>forward</direction><startpos>5</startpos><endpos>8</endpos></feature>
</features>
<parameters>
<!--
 NOTE: Currently, each parameter name can have only one value.
-->
<parameter><name>efficiency</name><value>1</value><units/><url/><id>2480</id><m_date>2008-11-29 13:15:14</m_date><user_id>24</user_id><user_name>registry</user_name></parameter>
<parameter><name>biology</name><value>NA</value><units/><url/><id>3314</id></parameter>
<parameter><name>strength</name><value><![CDATA[<1 & >0]]></value><units>&#956;M &amp; s</units></parameter>
</parameters>
<categories>
<category>//chassis/prokaryote/ecoli</category>
<category>//direction/forward</category>
<category>//rbs/prokaryote/constitutive/community</category>
</categories>
<twins>
<twin>BBa_J34801</twin>
<twin>BBa_K773001</twin>
</twins>
<samples>
<!-- Samples have been turned off for now - rdr 2013 -->
</samples>
<references/>
<groups/>
</part>
</part_list>
</rsbpml>
`;

describe('parseRegistryPartXml', () => {
  test('reads a Registry answer: parameters, twins, categories, the part URL; never a subpart’s fields', () => {
    expect(parseRegistryPartXml(B0034, 'BBa_B0034')).toEqual({
      parameters: [
        { name: 'efficiency', value: '1', units: '' },
        { name: 'biology', value: 'NA', units: '' },
        { name: 'strength', value: '<1 & >0', units: 'μM & s' },
      ],
      twins: ['BBa_J34801', 'BBa_K773001'],
      categories: ['//chassis/prokaryote/ecoli', '//direction/forward', '//rbs/prokaryote/constitutive/community'],
      url: 'http://parts.igem.org/Part:BBa_B0034',
    });
    expect(() => parseRegistryPartXml(B0034, 'BBa_R0040')).toThrow('the answer has no <part> named BBa_R0040');
  });

  test('picks the part named among several', () => {
    const two = B0034.replace('<part_list>\n', '<part_list>\n<part><part_name>BBa_X</part_name><twins><twin>BBa_Y</twin></twins></part>\n');
    expect(parseRegistryPartXml(two, 'BBa_X')).toEqual({ parameters: [], twins: ['BBa_Y'], categories: [], url: null });
    expect(parseRegistryPartXml(two, 'BBa_B0034').twins).toEqual(['BBa_J34801', 'BBa_K773001']);
  });

  test('refuses what is not a complete RSBPML document', () => {
    for (const answer of ['', 'internal error', '<html><body>502</body></html>', B0034.slice(0, B0034.length / 2), B0034.replace('</rsbpml>', ''), '<rsbpml><part_list><part><part_name>']) {
      expect(() => parseRegistryPartXml(answer, 'BBa_B0034'), answer.slice(0, 40)).toThrow(RegistryXmlError);
      expect(() => parseRegistryPartXml(answer, 'BBa_B0034')).toThrow('the answer is not a complete RSBPML document');
    }
  });

  test('keeps only an http(s) part URL', () => {
    for (const bad of ['javascript:alert(document.cookie)', ' JaVaScRiPt:alert(1)', 'java\tscript:alert(1)', 'data:text/html,<b>x</b>', 'vbscript:x', '/Part:BBa_B0034', 'file:///etc/passwd']) {
      const xml = B0034.replace('http://parts.igem.org/Part:BBa_B0034', bad.replace(/&/g, '&amp;').replace(/</g, '&lt;'));
      expect(parseRegistryPartXml(xml, 'BBa_B0034').url, bad).toBeNull();
    }
    const entity = B0034.replace('http://parts.igem.org/Part:BBa_B0034', '&#106;avascript:alert(1)');
    expect(parseRegistryPartXml(entity, 'BBa_B0034').url).toBeNull();
    const https = B0034.replace('http://parts.igem.org/Part:BBa_B0034', 'https://parts.igem.org/Part:BBa_B0034');
    expect(parseRegistryPartXml(https, 'BBa_B0034').url).toBe('https://parts.igem.org/Part:BBa_B0034');
  });

  test('stray markup: a lone "<", unknown closing tags, unclosed elements', () => {
    const messy = B0034.replace('<part_short_desc>RBS', '<part_short_desc>a < b </i> <br> RBS').replace('<twin>BBa_J34801</twin>', '<twin>BBa_J34801</twin></nothing>');
    expect(parseRegistryPartXml(messy, 'BBa_B0034').twins).toEqual(['BBa_J34801', 'BBa_K773001']);
  });

  test('the slices reader gives the same answer', async () => {
    await expect(parseRegistryPartXmlInSlices(B0034, 'BBa_B0034', 64)).resolves.toEqual(parseRegistryPartXml(B0034, 'BBa_B0034'));
    await expect(parseRegistryPartXmlInSlices(B0034.slice(0, 900), 'BBa_B0034', 64)).rejects.toThrow('the answer is not a complete RSBPML document');
  });
});

describe('hostile answers are read in linear time', () => {
  const MiB = 1024 * 1024;
  const shapes: Record<string, (n: number) => string> = {
    'unterminated tags': (n) => `<rsbpml><part_list><part>${'<a'.repeat(n / 2)}`,
    'unterminated tags, then a close': (n) => `<rsbpml><part_list><part>${'<a'.repeat(n / 2)}</part></part_list></rsbpml>`,
    'unterminated <part ': (n) => `<rsbpml><part_list>${'<part '.repeat(n / 6)}</rsbpml>`,
    'deep nesting': (n) => `<rsbpml><part_list><part>${'<part_name>'.repeat(n / 11)}</rsbpml>`,
    'closing tags of nothing': (n) => `<rsbpml><part_list><part>${'<a></b>'.repeat(n / 7)}</rsbpml>`,
    'one huge kept text': (n) => `<rsbpml><part_list><part><part_name>x</part_name><part_url>${'&amp;'.repeat(n / 5)}</part_url></part></part_list></rsbpml>`,
    'unterminated quotes': (n) => `<rsbpml><part_list><part ${'"'.repeat(n)}`,
    'unterminated comments': (n) => `<rsbpml><part_list>${'<!--'.repeat(n / 4)}`,
    'stray ampersands': (n) => `<rsbpml><part_list><part><part_name>${'&'.repeat(n)}</part_name></part></part_list></rsbpml>`,
  };
  const time = (xml: string) => {
    const started = performance.now();
    try {
      parseRegistryPartXml(xml, 'x');
    } catch (error) {
      expect(error).toBeInstanceOf(RegistryXmlError);
    }
    return performance.now() - started;
  };

  test.each(Object.keys(shapes))('%s: 2 MiB in well under a second, and 8 MiB in about 4 times as long', (shape) => {
    const small = shapes[shape]!(2 * MiB);
    const large = shapes[shape]!(8 * MiB);
    time(small); // warm up
    const t2 = Math.min(time(small), time(small));
    const t8 = Math.min(time(large), time(large));
    expect(t2).toBeLessThan(400);
    // Linear: 4 times the input, about 4 times the time (a quadratic reader takes 16 times); slack for a busy machine.
    expect(t8).toBeLessThan(Math.max(10 * t2, 200));
  });
});

describe('URLs served', () => {
  test('httpUrlOrNull keeps http(s) and nothing else', () => {
    expect(httpUrlOrNull('http://parts.igem.org/Part:BBa_B0034')).toBe('http://parts.igem.org/Part:BBa_B0034');
    expect(httpUrlOrNull('https://parts.igem.org')).toBe('https://parts.igem.org/');
    for (const bad of ['javascript:alert(1)', '\njavascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:,x', '//evil.example/x', 'ftp://x', '', null, undefined, 42, {}]) {
      expect(httpUrlOrNull(bad), String(bad)).toBeNull();
    }
  });

  test('stored extras are served with a safe URL', () => {
    const stored = JSON.stringify({ parameters: [], twins: ['BBa_J34801'], categories: [], url: 'javascript:alert(document.cookie)' });
    expect(servableExtras(stored)).toEqual({ parameters: [], twins: ['BBa_J34801'], categories: [], url: null });
    expect(servableExtras(JSON.stringify({ parameters: [], twins: [], categories: [], url: 'http://parts.igem.org/Part:X' }))?.url).toBe('http://parts.igem.org/Part:X');
    expect(servableExtras(null)).toBeNull();
    expect(servableExtras('not json')).toBeNull();
    expect(servableExtras('[1]')).toBeNull();
  });
});
