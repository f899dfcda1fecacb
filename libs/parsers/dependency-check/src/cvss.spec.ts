import { calculatedBaseScore, readCvssV2, readCvssV3, readCvssV4, readLegacyCvss, toAsffCvss } from './cvss';

const V3_WORDS = {
  baseScore: 7.5,
  attackVector: 'ADJACENT_NETWORK',
  attackComplexity: 'LOW',
  privilegesRequired: 'NONE',
  userInteraction: 'NONE',
  scope: 'UNCHANGED',
  confidentialityImpact: 'HIGH',
  integrityImpact: 'NONE',
  availabilityImpact: 'NONE',
};

describe('readCvssV3', () => {
  it('rebuilds the vector from metric words with the stated version as prefix', () => {
    expect(readCvssV3({ ...V3_WORDS, version: '3.1' }, 'NVD')).toEqual({
      major: 3,
      version: '3.1',
      baseScore: 7.5,
      vector: 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
      source: 'NVD',
    });
  });

  it('leaves version and prefix out when the report does not state the version', () => {
    expect(readCvssV3(V3_WORDS, undefined)).toEqual({ major: 3, baseScore: 7.5, vector: 'AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' });
  });

  it('accepts letters, and computes the score when the report has none', () => {
    const letters = { attackVector: 'N', attackComplexity: 'L', privilegesRequired: 'N', userInteraction: 'R', scope: 'C', confidentialityImpact: 'L', integrityImpact: 'L', availabilityImpact: 'N', version: '3.0' };
    expect(readCvssV3(letters, 'NVD')).toMatchObject({ version: '3.0', baseScore: 6.1, vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N' });
  });

  it('keeps the reported score but drops a vector with an impossible metric', () => {
    expect(readCvssV3({ ...V3_WORDS, attackVector: 'QUANTUM', version: '3.1' }, 'NVD')).toEqual({ major: 3, version: '3.1', baseScore: 7.5, source: 'NVD' });
  });

  it('ignores an out-of-range score and an unknown minor version', () => {
    expect(readCvssV3({ ...V3_WORDS, baseScore: 42, version: '3.9' }, undefined)).toEqual({ major: 3, baseScore: 6.5, vector: 'AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' });
  });

  it('gives nothing for a block that is not an object or has neither score nor valid metrics', () => {
    expect(readCvssV3('9.8', 'NVD')).toBeUndefined();
    expect(readCvssV3({ baseSeverity: 'HIGH' }, 'NVD')).toBeUndefined();
  });
});

describe('readCvssV2', () => {
  it('reads JSON (confidentialityImpact) and XML (confidentialImpact) spellings, version 2.0', () => {
    const json = { score: 4.3, accessVector: 'NETWORK', accessComplexity: 'MEDIUM', authenticationr: 'NONE', confidentialityImpact: 'NONE', integrityImpact: 'PARTIAL', availabilityImpact: 'NONE' };
    const { confidentialityImpact, ...rest } = json;
    const xml = { ...rest, confidentialImpact: confidentialityImpact, score: '4.3' };
    const expected = { major: 2, version: '2.0', baseScore: 4.3, vector: 'AV:N/AC:M/Au:N/C:N/I:P/A:N', source: 'NVD' };
    expect(readCvssV2(json, 'NVD')).toEqual(expected);
    expect(readCvssV2(xml, 'NVD')).toEqual(expected);
  });
});

describe('readLegacyCvss', () => {
  it('reads the schema 1.x flat fields as a versionless, legacy entry', () => {
    const vulnerability = {
      cvssScore: '7.5',
      cvssAccessVector: 'NETWORK',
      cvssAccessComplexity: 'LOW',
      cvssAuthenticationr: 'NONE',
      cvssConfidentialImpact: 'PARTIAL',
      cvssIntegrityImpact: 'PARTIAL',
      cvssAvailabilityImpact: 'PARTIAL',
    };
    expect(readLegacyCvss(vulnerability, undefined)).toEqual({ major: 2, baseScore: 7.5, vector: 'AV:N/AC:L/Au:N/C:P/I:P/A:P', legacy: true });
    expect(readLegacyCvss({ name: 'x' }, undefined)).toBeUndefined();
  });
});

describe('readCvssV4', () => {
  const NVD_VECTOR = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N/E:X/CR:X/IR:X/AR:X/S:X/AU:X/R:N/V:X/RE:X/U:X';

  it('keeps the vector string as written (supplemental R:N included) and the CNA as source', () => {
    expect(readCvssV4({ vectorString: NVD_VECTOR, baseScore: 6.9, source: 'emo@eclipse.org', version: '4.0' }, 'NVD')).toEqual({
      major: 4,
      version: '4.0',
      baseScore: 6.9,
      vector: NVD_VECTOR,
      source: 'emo@eclipse.org',
    });
  });

  it('computes the base score from the vector when the report has none', () => {
    expect(readCvssV4({ vectorString: NVD_VECTOR }, 'NVD')?.baseScore).toBe(6.9);
  });

  it('rebuilds the vector from the base metric words when there is no vector string', () => {
    const words = {
      attackVector: 'NETWORK',
      attackComplexity: 'LOW',
      attackRequirements: 'NONE',
      privilegesRequired: 'NONE',
      userInteraction: 'PASSIVE',
      vulnerableSystemConfidentiality: 'HIGH',
      vulnerableSystemIntegrity: 'HIGH',
      vulnerableSystemAvailability: 'HIGH',
      subsequentSystemConfidentiality: 'NONE',
      subsequentSystemIntegrity: 'NONE',
      subsequentSystemAvailability: 'NONE',
      baseScore: '8.7',
    };
    expect(readCvssV4(words, 'NVD')).toEqual({ major: 4, version: '4.0', baseScore: 8.7, vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', source: 'NVD' });
  });

  it('drops a malformed vector string but keeps the score', () => {
    expect(readCvssV4({ vectorString: 'CVSS:4.0/AV:Z', baseScore: 5 }, 'NVD')).toEqual({ major: 4, version: '4.0', baseScore: 5, source: 'NVD' });
    expect(readCvssV4({ vectorString: `CVSS:4.0${'/AV:N'.repeat(200)}`, baseScore: 5 }, 'NVD')).toEqual({ major: 4, version: '4.0', baseScore: 5, source: 'NVD' });
  });
});

describe('calculatedBaseScore', () => {
  it('scores valid base vectors and refuses incomplete or invalid ones', () => {
    expect(calculatedBaseScore('3.1', 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:N/A:N')).toBe(3.7);
    expect(calculatedBaseScore('2.0', 'AV:N/AC:L/Au:N/C:P/I:P/A:P')).toBe(7.5);
    expect(calculatedBaseScore('3.1', 'CVSS:3.1/AV:N')).toBeUndefined();
    expect(calculatedBaseScore('3.1', 'garbage')).toBeUndefined();
  });
});

describe('toAsffCvss', () => {
  it('lists the newest version first and leaves absent fields out', () => {
    expect(
      toAsffCvss([
        { major: 2, version: '2.0', baseScore: 5, vector: 'AV:N/AC:L/Au:N/C:N/I:N/A:P', source: 'NVD' },
        { major: 4, version: '4.0', baseScore: 6.9 },
        { major: 3, baseScore: 7.5 },
      ]),
    ).toEqual([
      { Version: '4.0', BaseScore: 6.9 },
      { BaseScore: 7.5 },
      { Version: '2.0', BaseScore: 5, BaseVector: 'AV:N/AC:L/Au:N/C:N/I:N/A:P', Source: 'NVD' },
    ]);
  });
});
