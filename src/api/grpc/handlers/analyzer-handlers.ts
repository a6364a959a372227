import { okStatus } from '../../../errors/index.js';
import type { HandlerFamily } from './rpc-handler.js';

interface RunAnalyzerRequest {
  analyzer_params?: string;
  placeholder?: Buffer[];
  with_detail?: boolean;
  with_hash?: boolean;
  collection_name?: string;
  field_name?: string;
}

export const analyzerHandlers: HandlerFamily = (service) => ({
  RunAnalyzer: (request: RunAnalyzerRequest, context) => {
    const decoder = new TextDecoder();
    const results = service.analyzers.run(context, {
      analyzerParams: request.analyzer_params ?? '',
      texts: (request.placeholder ?? []).map((bytes) => decoder.decode(bytes)),
      withDetail: request.with_detail === true,
      withHash: request.with_hash === true,
      collectionName: request.collection_name ?? '',
      fieldName: request.field_name ?? '',
    });
    return {
      status: okStatus,
      results: results.map((tokens) => ({
        tokens: tokens.map((t) => ({
          token: t.token,
          start_offset: t.startOffset ?? 0,
          end_offset: t.endOffset ?? 0,
          position: t.position ?? 0,
          position_length: t.positionLength ?? 0,
          hash: t.hash ?? 0,
        })),
      })),
    };
  },
});
