/**
 * Invalid analyzer_params. The message is Milvus's own wording wherever its analyzer builder
 * (tantivy-binding, Rust) has one, so the service layer can pass it through unchanged.
 */
export class AnalyzerParamsError extends Error {
  override readonly name = 'AnalyzerParamsError';
}
