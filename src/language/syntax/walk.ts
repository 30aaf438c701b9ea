/** Tree walking: visiting expressions, and finding the innermost nodes at an offset. */
import type * as A from './ast.js';

/** Calls `visit` on `e` and every sub-expression, parents first. */
export function walkExpr(e: A.Expr | A.RangeExpr, visit: (node: A.Expr | A.RangeExpr) => void): void {
  visit(e);
  switch (e.kind) {
    case 'unary':
      walkExpr(e.operand, visit);
      break;
    case 'binary':
      walkExpr(e.left, visit);
      walkExpr(e.right, visit);
      break;
    case 'call':
      // The callee is a function name, not a reference: visit only the arguments.
      for (const a of e.args) walkExpr(a, visit);
      break;
    case 'paren':
      walkExpr(e.inner, visit);
      break;
    case 'range':
      walkExpr(e.from, visit);
      walkExpr(e.to, visit);
      break;
    default:
      break;
  }
}

/** The direct children of a node, in source order. */
export function childrenOf(node: A.Node): A.Node[] {
  switch (node.kind) {
    case 'program':
      return node.statements;
    case 'model':
      return [node.name, node.source, ...node.fields].filter(
        (x): x is NonNullable<typeof x> => x !== undefined,
      );
    case 'policy':
      return [node.name, node.of, ...node.fields].filter((x): x is NonNullable<typeof x> => x !== undefined);
    case 'let':
      return [node.name, node.value].filter((x): x is NonNullable<typeof x> => x !== undefined);
    case 'query':
      return [node.name, ...node.args];
    case 'field':
      return [
        node.name,
        ...(node.row ? [node.row] : []),
        ...(node.source ? [node.source] : []),
        ...node.items,
      ];
    case 'named-arg':
      return node.value ? [node.name, node.value] : [node.name];
    case 'positional-arg':
      return [node.value];
    case 'unary':
      return [node.operand];
    case 'binary':
      return [node.left, node.right];
    case 'call':
      return [node.callee, ...node.args];
    case 'paren':
      return [node.inner];
    case 'range':
      return [node.from, node.to];
    default:
      return [];
  }
}

/**
 * The chain of nodes containing `offset`, outermost (the program) first, innermost last.
 * A node contains the offsets start..end inclusive, so a cursor right after a name finds it.
 * Children of a field or a query are searched by binary search, so a 50,000-item field is cheap.
 */
export function nodePath(program: A.Program, offset: number): A.Node[] {
  const path: A.Node[] = [program];
  let node: A.Node = program;
  for (;;) {
    const children = childrenOf(node);
    const child = findChild(children, offset);
    if (!child) return path;
    path.push(child);
    node = child;
  }
}

function findChild(children: A.Node[], offset: number): A.Node | undefined {
  let lo = 0;
  let hi = children.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = children[mid];
    if (c.end < offset) lo = mid + 1;
    else if (c.start > offset) hi = mid - 1;
    else {
      // Prefer the later of two adjacent nodes touching at `offset` (`a|+b` → the one starting here).
      const next = children[mid + 1];
      return next && next.start <= offset && next.end >= offset ? next : c;
    }
  }
  return undefined;
}

/** The innermost node containing `offset`. */
export function nodeAt(program: A.Program, offset: number): A.Node {
  const path = nodePath(program, offset);
  return path[path.length - 1];
}
