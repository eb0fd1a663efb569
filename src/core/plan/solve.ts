// Which modules can leave the startup path: a greatest fixed point over the import graph of
// the measured runs. Start from "every module leaves" (entry points excepted) and take back
// each module that some staying importer loads through an edge that cannot be deferred, until
// nothing changes. What remains leaves together: a module that only leaving modules load
// leaves with them, whatever its own imports look like.

export interface GraphEdge {
  from: string;
  to: string;
  /** The specifiers the importer used for this module (usually one). */
  requests: string[];
  /** Ran while the importer's top level evaluated. */
  eager: boolean;
  /** Ran after the importer had loaded (from a function called later). */
  late: boolean;
  /** Reported by the ES module loader (static import or import(), not told apart). */
  esm: boolean;
}

export interface Graph {
  /** Every module loaded in some measured run (absolute paths, `node:x` for built-ins). */
  modules: Set<string>;
  /** Modules no recorded edge loads (the entry point, preloads): they always stay. */
  roots: Set<string>;
  edges: GraphEdge[];
}

export type Deferral = { ok: true } | { ok: false; reason: string };

export interface Solution {
  leaving: Set<string>;
  /** For each module that stays (roots excepted): the staying importer and why its edge cannot be deferred. */
  stays: Map<string, { by: string; reason: string }>;
  /** The edges whose edits the plan makes: staying importer, leaving module. */
  deferred: GraphEdge[];
}

/**
 * `deferrable(edge)` answers whether the importer's edge can be made lazy (asked only for edges
 * of staying importers, once each).
 */
export function solve(graph: Graph, deferrable: (edge: GraphEdge) => Deferral): Solution {
  const leaving = new Set([...graph.modules].filter((m) => !graph.roots.has(m)));
  const stays = new Map<string, { by: string; reason: string }>();
  const memo = new Map<GraphEdge, Deferral>();
  const ask = (e: GraphEdge) => {
    let d = memo.get(e);
    if (!d) { d = deferrable(e); memo.set(e, d); }
    return d;
  };
  const byTarget = new Map<string, GraphEdge[]>();
  for (const e of graph.edges) byTarget.set(e.to, [...(byTarget.get(e.to) ?? []), e]);
  // An importer that is not among the loaded modules (an unknown caller) counts as staying.
  const staysNow = (m: string) => !leaving.has(m);
  for (let changed = true; changed;) {
    changed = false;
    for (const m of [...leaving]) {
      for (const e of byTarget.get(m) ?? []) {
        if (!staysNow(e.from)) continue;
        const d = ask(e);
        if (d.ok) continue;
        leaving.delete(m);
        stays.set(m, { by: e.from, reason: d.reason });
        changed = true;
        break;
      }
    }
  }
  const deferred = graph.edges.filter((e) => leaving.has(e.to) && staysNow(e.from));
  return { leaving, stays, deferred };
}
