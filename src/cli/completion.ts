/**
 * Shell completions (`medline completion bash|zsh|fish`) and the manual page (man/medline.1,
 * made at build time), both written from the options as commander holds them: an option
 * added to options.ts is completed and documented with no second list to keep.
 */
import type { Command, Option } from 'commander';
import { FORMAT_NAMES } from '../formats/index.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** An option as completion sees it: its names, what its value is, its help. */
interface Flag {
  readonly long: string;
  readonly short: string | null;
  readonly help: string;
  /** null: takes no value; 'file': a path; else the words it takes (none: free text). */
  readonly value: null | 'file' | readonly string[];
}

/** Values the options take that commander does not list as choices. */
const VALUES: Readonly<Record<string, readonly string[]>> = {
  '--to': FORMAT_NAMES,
  '--encoding': ['utf-8', 'utf-16le', 'utf-16be', 'latin1'],
  '--jobs': ['auto', '1', '2', '4'],
};

function flags(program: Command): Flag[] {
  return program.options.map((o: Option) => {
    const long = o.long ?? o.flags;
    const takes = o.required || o.optional;
    const value: Flag['value'] = !takes ? null : /<file>/.test(o.flags) ? 'file' : (o.argChoices ?? VALUES[long] ?? []);
    return { long, short: o.short ?? null, help: o.description.replace(/\s+/g, ' '), value };
  });
}

export function completionScript(shell: Shell, program: Command): string {
  const all = flags(program);
  if (shell === 'bash') return bash(all);
  if (shell === 'zsh') return zsh(all);
  return fish(all);
}

function bash(all: readonly Flag[]): string {
  const names = all.flatMap((f) => [f.long, ...(f.short === null ? [] : [f.short])]).join(' ');
  const cases = all
    .filter((f) => f.value !== null)
    .map((f) => {
      const pattern = [f.short, f.long].filter((n) => n !== null).join('|');
      const body = f.value === 'file' ? 'COMPREPLY=( $(compgen -f -- "$cur") )' : f.value!.length > 0 ? `COMPREPLY=( $(compgen -W "${f.value!.join(' ')}" -- "$cur") )` : 'COMPREPLY=()';
      return `    ${pattern}) ${body}; return ;;`;
    })
    .join('\n');
  return `# medline completion for bash: add to ~/.bashrc
#   eval "$(medline completion bash)"
# or save it as ~/.local/share/bash-completion/completions/medline
_medline() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  case "$prev" in
${cases}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "${names}" -- "$cur") )
  else
    COMPREPLY=( $(compgen -f -- "$cur") )
  fi
}
complete -o filenames -F _medline medline
`;
}

/** Help text inside zsh's `[…]` and single quotes. */
const zshText = (s: string) => s.replace(/\\/g, '\\\\').replace(/'/g, "'\\''").replace(/\[/g, '\\[').replace(/\]/g, '\\]');

function zsh(all: readonly Flag[]): string {
  const specs = all.map((f) => {
    const action = f.value === null ? '' : f.value === 'file' ? ':file:_files' : f.value.length > 0 ? `:value:(${f.value.join(' ')})` : ':value: ';
    const help = zshText(f.help.slice(0, 120));
    if (f.short === null) return `  '${f.long}[${help}]${action}'`;
    return `  '(${f.short} ${f.long})'{${f.short},${f.long}}'[${help}]${action}'`;
  });
  return `#compdef medline
# medline completion for zsh: save as _medline in a folder of $fpath, or add to ~/.zshrc
#   eval "$(medline completion zsh)"
_medline() {
  _arguments -s \\
${specs.join(' \\\n')} \\
  '*:input file:_files'
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _medline "$@"
else
  compdef _medline medline
fi
`;
}

const fishText = (s: string) => s.replace(/\\/g, '\\\\').replace(/'/g, "\\'");

function fish(all: readonly Flag[]): string {
  const lines = all.map((f) => {
    const names = `${f.short === null ? '' : `-s ${f.short.slice(1)} `}-l ${f.long.slice(2)}`;
    const value = f.value === null ? '' : f.value === 'file' ? ' -r -F' : f.value.length > 0 ? ` -x -a '${f.value.join(' ')}'` : ' -x';
    return `complete -c medline ${names}${value} -d '${fishText(f.help.slice(0, 100))}'`;
  });
  return `# medline completion for fish: save as ~/.config/fish/completions/medline.fish
#   medline completion fish > ~/.config/fish/completions/medline.fish
${lines.join('\n')}
`;
}

/** Text as roff reads it: backslashes, leading dots and quotes, hyphens of options. */
const roff = (s: string) => s.replace(/\\/g, '\\e').replace(/^([.'])/gm, '\\&$1').replace(/-/g, '\\-');

/** The manual page, medline(1), in roff's man macros. */
export function manPage(program: Command, version: string, date: string, after: string): string {
  const options = program.options
    .map((o: Option) => `.TP\n.B ${roff(o.flags)}\n${roff(o.description.replace(/\s+/g, ' '))}${o.argChoices ? roff(` (${o.argChoices.join(', ')})`) : ''}`)
    .join('\n');
  return `.TH MEDLINE 1 "${date}" "medline ${version}" "User Commands"
.SH NAME
medline \\- convert MEDLINE/PubMed records to JSON, CSV, BibTeX, RIS, CSL\\-JSON
.SH SYNOPSIS
.B medline
[\\fIoptions\\fR] [\\fIfile\\fR ...]
.br
.B medline completion
\\fIbash\\fR|\\fIzsh\\fR|\\fIfish\\fR
.SH DESCRIPTION
${roff(program.description())}
Inputs are converted in order into one output; none or \\fB\\-\\fR reads stdin. Data goes to
stdout (or \\fB\\-o\\fR), messages to stderr as \\fIFILE\\fR:\\fILINE\\fR:\\fICOLUMN\\fR: \\fICODE\\fR message.
.SH OPTIONS
${options}
.SH NOTES
.nf
${roff(after.trim())}
.fi
.SH SEE ALSO
The README of the package: every option with an example, the output schemas, the limits.
`;
}
