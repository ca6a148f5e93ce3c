// "Did you mean": Damerau-Levenshtein distance and when a suggestion is close enough to offer.
import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, nearest } from '../../src/graph/suggest.js';

describe('suggestions', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('analytics', 'analtyics')).toBe(1);
    expect(editDistance('session', 'sesion')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('abc', 'abcdefgh', 2)).toBe(3);
  });

  it('offers the closest key only when it looks like a typo, ties alphabetically', () => {
    const keys = ['analytics.mau_summary', 'analytics.dau_summary', 'raw_data.session_timestamp'];
    expect(nearest('analytcs.mau_summary', keys)).toBe('analytics.mau_summary');
    expect(nearest('analytics.xau_summary', keys)).toBe('analytics.dau_summary');
    expect(nearest('Raw_Data.Session_Timestamp', keys)).toBe('raw_data.session_timestamp');
    expect(nearest('sap.segmentation_flag', keys)).toBeUndefined();
    expect(didYouMean('raw_data.sessions', keys)).toBe('');
    expect(didYouMean('tga', ['tag', 'group'])).toBe(' — did you mean "tag"?');
  });
});
