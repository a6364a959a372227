import { errors } from '../errors/index.js';
import { analyzerFor } from '../text/analyzer-cache.js';
import { AnalyzerParamsError } from '../text/analyzer-params-error.js';
import { milvusTokenHash } from '../text/milvus-token-hash.js';
import type { Catalog } from './catalog/catalog.js';
import type { RequestContext } from './request-context.js';

export interface RunAnalyzerRequest {
  /** analyzer_params as JSON text ('' = the standard analyzer), used when no field is named. */
  analyzerParams: string;
  texts: string[];
  withDetail: boolean;
  withHash: boolean;
  collectionName: string;
  fieldName: string;
}

export interface AnalyzedToken {
  token: string;
  startOffset?: number;
  endOffset?: number;
  position?: number;
  positionLength?: number;
  hash?: number;
}

/**
 * RunAnalyzer: the tokens Milvus's analyzer produces for each text, from the given parameters or
 * from a collection field's analyzer. Offsets are UTF-8 byte offsets, as Milvus reports them.
 */
export class AnalyzerService {
  constructor(private readonly catalog: Catalog) {}

  run(ctx: RequestContext, request: RunAnalyzerRequest): AnalyzedToken[][] {
    let params = request.analyzerParams;
    if (request.collectionName && request.fieldName) {
      const collection = this.catalog.getCollection(ctx.dbName, request.collectionName);
      const field = collection.schema.fields.find((f) => f.name === request.fieldName);
      if (!field) throw errors.fieldNotFound(request.fieldName);
      if (field.typeParams.enable_analyzer !== 'true') {
        throw errors.parameterInvalid(`field ${field.name} does not enable analyzer`);
      }
      params = field.typeParams.analyzer_params ?? '';
    }
    let analyzer: ReturnType<typeof analyzerFor>;
    try {
      analyzer = analyzerFor(params);
    } catch (error) {
      if (error instanceof AnalyzerParamsError) {
        throw errors.parameterInvalid(`create analyzer failed: ${error.message}`);
      }
      throw error;
    }
    return request.texts.map((text) =>
      analyzer.tokens(text).map((token) => ({
        token: token.token,
        ...(request.withDetail
          ? {
              startOffset: token.start,
              endOffset: token.end,
              position: token.position,
              positionLength: token.positionLength,
            }
          : {}),
        ...(request.withHash ? { hash: milvusTokenHash(token.token) } : {}),
      })),
    );
  }
}
