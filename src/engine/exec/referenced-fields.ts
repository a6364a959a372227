import type { FilterIr, IrExpr } from '../../expr/index.js';

/** Names of the fields a filter reads (so row objects carry only those). */
export function referencedFields(ir: FilterIr): Set<string> {
  const names = new Set<string>();
  const visit = (node: IrExpr): void => {
    switch (node.kind) {
      case 'and':
      case 'or':
        node.operands.forEach(visit);
        return;
      case 'not':
        visit(node.operand);
        return;
      case 'randomSample':
        if (node.predicate) visit(node.predicate);
        return;
      case 'compareColumns':
        names.add(node.left.fieldName);
        names.add(node.right.fieldName);
        return;
      case 'call':
        for (const arg of node.args) if (arg.kind === 'column') names.add(arg.column.fieldName);
        return;
      case 'alwaysTrue':
      case 'alwaysFalse':
        return;
      default:
        names.add(node.column.fieldName);
    }
  };
  visit(ir);
  return names;
}
