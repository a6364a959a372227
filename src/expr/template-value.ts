/**
 * Values for template variables `{name}`, shaped like Milvus's schemapb.TemplateValue (sent as
 * `expr_template_values` / `exprParams` / `filter_params`). int64 values are bigint.
 */
export type TemplateValue =
  | { kind: 'bool'; value: boolean }
  | { kind: 'int64'; value: bigint }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'array'; array: TemplateArrayValue };

/** schemapb.TemplateArrayValue: one typed list; `json` elements are JSON texts. */
export type TemplateArrayValue =
  | { kind: 'bool'; data: boolean[] }
  | { kind: 'long'; data: bigint[] }
  | { kind: 'double'; data: number[] }
  | { kind: 'string'; data: string[] }
  | { kind: 'array'; data: TemplateArrayValue[] }
  | { kind: 'json'; data: string[] };

export type TemplateValues = Readonly<Record<string, TemplateValue>>;
