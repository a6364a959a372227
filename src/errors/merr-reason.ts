import { ErrorCodes, type ErrorKind } from './codes.js';
import { goValue } from './go-format.js';

/**
 * The three ways Milvus's merr package composes a reason around a base message. Every factory in
 * errors.ts uses one of them, so a message shape is decided here only.
 *
 *   fieldsReason     merr.wrapFields (+ errors.Wrap)       "<detail>: <base>[k=v][k=v]"
 *   describedReason  merr.wrapFieldsWithDesc               "<base>[k=v]: <description>"
 *   prefixedReason   errors.Wrap / WrapErr...Msg(format)   "<detail>: <base>"
 *
 * cockroachdb's errors.Wrap prints "<wrap message>: <cause>"; merr.Status sends that whole text as
 * reason when there is a single wrap, which is the only depth Quiver uses.
 */
export type ReasonField = readonly [name: string, value: unknown];

function formatFields(fields: readonly ReasonField[]): string {
  return fields.map(([name, value]) => `[${name}=${goValue(value)}]`).join('');
}

export function fieldsReason(kind: ErrorKind, fields: readonly ReasonField[], detail?: string): string {
  const core = ErrorCodes[kind].message + formatFields(fields);
  return detail === undefined || detail === '' ? core : `${detail}: ${core}`;
}

export function describedReason(
  kind: ErrorKind,
  description: string,
  fields: readonly ReasonField[] = [],
): string {
  return `${ErrorCodes[kind].message}${formatFields(fields)}: ${description}`;
}

export function prefixedReason(kind: ErrorKind, detail: string): string {
  return `${detail}: ${ErrorCodes[kind].message}`;
}

/** merr.WrapErrParameterInvalidRange's bound field: "[<actual> out of range <lower> <= value <= <upper>]". */
export function rangeField(lower: unknown, upper: unknown, actual: unknown): string {
  return `[${goValue(actual)} out of range ${goValue(lower)} <= value <= ${goValue(upper)}]`;
}
