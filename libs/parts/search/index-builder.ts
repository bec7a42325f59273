import { NO_DATE, FIELDS, SearchIndex, type CodedColumn, type SearchIndexData } from './search-index';
import { fold, indexTokens, stripMarkup } from './tokenizer';

/** A part as the index reads it from `parts_filtered`. */
export interface IndexedPart {
  part_id: number;
  part_name: string;
  short_desc: string | null;
  description: string | null;
  author: string | null;
  nickname: string | null;
  categories: string | null;
  part_type: string | null;
  status: string | null;
  sample_status: string | null;
  works: string | null;
  uses: number;
  /** Days since 1970-01-01; null when the part has no creation date. */
  created_days: number | null;
  sequence_length: number;
}

/** The text of each searched field of a part, as indexed (descriptions without their markup). */
export function fieldTexts(part: IndexedPart): Record<(typeof FIELDS)[number]['name'], string> {
  return {
    part_name: part.part_name,
    nickname: part.nickname ?? '',
    short_desc: part.short_desc ?? '',
    categories: part.categories ?? '',
    author: part.author ?? '',
    description: stripMarkup(part.description ?? ''),
  };
}

/** An Int32Array that grows. */
class IntList {
  array = new Int32Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.array.length) {
      const bigger = new Int32Array(this.array.length * 2);
      bigger.set(this.array);
      this.array = bigger;
    }
    this.array[this.length++] = value;
  }
  done(): Int32Array {
    return this.array.slice(0, this.length);
  }
}

class Coder {
  readonly values: string[] = [];
  readonly display: string[] = [];
  private readonly codes = new Map<string, number>();
  readonly list = new IntList();
  add(value: string | null): void {
    const folded = fold(value ?? '');
    let code = this.codes.get(folded);
    if (code === undefined) {
      this.codes.set(folded, (code = this.values.push(folded) - 1));
      this.display.push(value ?? '');
    }
    this.list.push(code);
  }
  done(): CodedColumn {
    const codes = this.list.done();
    return { codes: this.values.length <= 65_536 ? Uint16Array.from(codes) : Uint32Array.from(codes), values: this.values, display: this.display };
  }
}

/**
 * Builds a SearchIndex from parts given in name order (MySQL's ORDER BY
 * part_name), in two passes: the first numbers the words and keeps each
 * document's (word, fields) pairs, the second lays the postings out in one
 * array, word after word; documents arrive in order, so each word's postings
 * come out sorted.
 */
export class IndexBuilder {
  private readonly terms = new Map<string, number>();
  private readonly df = new IntList();
  private readonly pairTerms = new IntList();
  private readonly pairMasks = new IntList();
  private readonly docPairEnd = new IntList();
  private readonly partIds = new IntList();
  private readonly names: string[] = [];
  private readonly uses = new IntList();
  private readonly created = new IntList();
  private readonly sequenceLength = new IntList();
  private readonly coders = { type: new Coder(), status: new Coder(), sampleStatus: new Coder(), works: new Coder(), author: new Coder(), categories: new Coder() };

  add(part: IndexedPart): void {
    const texts = fieldTexts(part);
    const masks = new Map<string, number>();
    for (const field of FIELDS) {
      for (const token of indexTokens(texts[field.name])) masks.set(token, (masks.get(token) ?? 0) | field.bit);
    }
    for (const [token, mask] of masks) {
      let term = this.terms.get(token);
      if (term === undefined) {
        term = this.terms.size;
        this.terms.set(token, term);
        this.df.push(0);
      }
      this.df.array[term]!++;
      this.pairTerms.push(term);
      this.pairMasks.push(mask);
    }
    this.docPairEnd.push(this.pairTerms.length);
    this.partIds.push(part.part_id);
    this.names.push(part.part_name);
    this.uses.push(part.uses);
    this.created.push(part.created_days ?? NO_DATE);
    this.sequenceLength.push(part.sequence_length);
    this.coders.type.add(part.part_type);
    this.coders.status.add(part.status);
    this.coders.sampleStatus.add(part.sample_status);
    this.coders.works.add(part.works);
    this.coders.author.add(part.author);
    this.coders.categories.add(part.categories);
  }

  finish(version: string, weights: (partIds: Int32Array, docOf: (partId: number) => number) => Float64Array): SearchIndex {
    const termCount = this.terms.size;
    const offsets = new Int32Array(termCount + 1);
    for (let t = 0; t < termCount; t++) offsets[t + 1] = offsets[t]! + this.df.array[t]!;
    const docs = new Int32Array(this.pairTerms.length);
    const masks = new Uint8Array(this.pairTerms.length);
    const fill = offsets.slice(0, termCount);
    const pairEnds = this.docPairEnd.array;
    let pair = 0;
    for (let doc = 0; doc < this.docPairEnd.length; doc++) {
      for (const end = pairEnds[doc]!; pair < end; pair++) {
        const term = this.pairTerms.array[pair]!;
        const at = fill[term]!++;
        docs[at] = doc;
        masks[at] = this.pairMasks.array[pair]!;
      }
    }
    const partIds = this.partIds.done();
    const order = Int32Array.from(partIds.keys()).sort((a, b) => partIds[a]! - partIds[b]!);
    const sortedPartIds = Int32Array.from(order, (doc) => partIds[doc]!);
    const foldedNames = this.names.map(fold);
    const tails = foldedNames.map((name) => name.slice(name.indexOf('_') + 1));
    const sortBy = (keys: string[]) => Int32Array.from(keys.keys()).sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : a - b));
    const data: SearchIndexData = {
      version,
      terms: this.terms,
      offsets,
      docs,
      masks,
      partIds,
      names: this.names,
      sortedPartIds,
      docOfSorted: order,
      type: this.coders.type.done(),
      status: this.coders.status.done(),
      sampleStatus: this.coders.sampleStatus.done(),
      works: this.coders.works.done(),
      author: this.coders.author.done(),
      categories: this.coders.categories.done(),
      uses: this.uses.done(),
      created: this.created.done(),
      sequenceLength: this.sequenceLength.done(),
      byName: sortBy(foldedNames),
      byNameTail: sortBy(tails),
      sortedTerms: [...this.terms.keys()].sort(),
    };
    const index = new SearchIndex(data, new Float64Array(0));
    index.weights = weights(partIds, (partId) => index.docOf(partId));
    return index;
  }
}
