// Lists the source files of a folder for `hotpath fixes` and the workspace-wide command, with
// the ranking scanner's walk: .gitignore honoured, dependencies and build output skipped,
// symlink loops and unreadable folders reported instead of failing.
import { walkWorkspace } from '../rank/walk';
import { isSourceFile } from './analyze';

export interface SourceList { files: string[]; skipped: { file: string; reason: string }[] }

export function listSourceFiles(root: string, exclude: string[] = []): SourceList {
  const walked = walkWorkspace(root, exclude);
  return { files: walked.files.filter((f) => isSourceFile(f) && !/\.min\.js$/.test(f)), skipped: walked.skipped };
}
