// Everything the fix builders share about one file, computed once per analysis.
import * as ts from 'typescript';
import type { CompilerFlags, ModuleKind, ProjectLookup } from './types';
import type { ImportSite } from './imports';
import type { Usage } from './usage';

export interface FileContext {
  file: string;
  text: string;
  sf: ts.SourceFile;
  isTs: boolean;
  moduleKind: ModuleKind;
  flags: CompilerFlags;
  project: ProjectLookup;
  sites: ImportSite[];
  usage: Usage;
}

export function lineColumn(ctx: FileContext, node: ts.Node): { line: number; column: number } {
  const lc = ctx.sf.getLineAndCharacterOfPosition(node.getStart(ctx.sf));
  return { line: lc.line + 1, column: lc.character + 1 };
}

export function isEsmKind(kind: ModuleKind): boolean {
  return kind === 'esm' || kind === 'ts-esm';
}
