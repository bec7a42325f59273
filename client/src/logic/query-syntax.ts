/** The search box's prefixes (README, "Parts"; libs/parts/api/parts-query.ts), for the syntax help. */
export const QUERY_PREFIXES: readonly { prefix: string; meaning: string; example: string }[] = [
  { prefix: 'n:', meaning: 'part name (BBa_… and pSB… match from the start)', example: 'n:BBa_B00' },
  { prefix: 't:', meaning: 'part type, exactly', example: 't:Terminator' },
  { prefix: 'a:', meaning: 'author, any part of the name', example: 'a:"Randy Rettberg"' },
  { prefix: 's:', meaning: 'status, exactly', example: 's:Available' },
  { prefix: 'c:', meaning: 'category prefix', example: 'c://function/reporter' },
  { prefix: 'o:', meaning: 'order: weight, name, created or uses; - for descending', example: 'o:-uses' },
];

export const QUERY_EXAMPLES: readonly { query: string; explains: string }[] = [
  { query: 'gfp t:Reporter', explains: 'reporters that mention GFP' },
  { query: 'terminator s:Available o:-uses', explains: 'available terminators, most used first' },
  { query: 'n:BBa_B00', explains: 'parts whose names start with BBa_B00' },
  { query: '"double terminator"', explains: 'quotes keep words together' },
];

/** The values the snapshot's filters take (iGEM Registry vocabulary). */
export const FILTER_CHOICES = {
  type: ['Coding', 'Composite', 'Device', 'Generator', 'Measurement', 'Plasmid_Backbone', 'Primer', 'Protein_Domain', 'RBS', 'Regulatory', 'Reporter', 'RNA', 'Tag', 'Terminator', 'Translational_Unit', 'Other'],
  status: ['Available', 'Planning', 'Unavailable', 'Informational', 'Deleted'],
  sample_status: ['In stock', 'Not in stock', "It's complicated", 'For reference only', 'Discontinued'],
  works: ['Works', 'Issues', 'Fails', 'None'],
  category: ['//chassis/prokaryote/ecoli', '//function/reporter', '//function/reporter/fluorescence', '//promoter', '//rbs', '//terminator', '//cds', '//plasmid'],
} as const;

export const FILTER_LABELS = { type: 'Type', status: 'Status', sample_status: 'Sample', works: 'Works', category: 'Category' } as const;
