#!/bin/sh
# Fails when any commit in a range is not signed by a trusted key (S03): run it in CI on every
# pull request (and on pushes, with the pushed range), next to the forge's "require signed
# commits" rule (see SECURITY.md).
#
# Usage: scripts/verify-signatures.sh [<range>]
#   <range>  a git revision range, e.g. origin/main..HEAD or v1.2.0..HEAD. Without one, the
#            commits not yet on the remote default branch (origin/HEAD, else origin/main) are
#            checked, or the whole history of HEAD when neither ref exists (a fresh repository,
#            or a CI checkout that did not fetch the default branch).
# Exit status: 0 every commit has a good signature from a trusted key; 1 at least one has not
#              (each is listed); 2 usage or setup error (bad range, missing trust data).
# Trusted keys are the ones in the committed .allowed_signers (S02). The file is given to git on
# the command line, so this works on every clone and in CI without any local git config.
set -eu

usage() {
  printf 'usage: %s [<range>]   e.g. %s origin/main..HEAD\n' "$0" "$0" >&2
  exit 2
}

case "$#" in
  0) range= ;;
  1) range=$1 ;;
  *) usage ;;
esac
case "$range" in
  -h | --help)
    printf 'usage: %s [<range>]   checks that every commit in <range> has a good signature from a trusted key\n' "$0"
    exit 0
    ;;
  -*) usage ;;
  *) ;;
esac

root=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$root"
if ! git rev-parse --git-dir >/dev/null 2>&1; then
  printf 'error: %s is not inside a git repository\n' "$root" >&2
  exit 2
fi

# S02: trust exactly the committed keys, whatever the local or global git config says.
allowed_signers="$root/.allowed_signers"
if [ ! -f "$allowed_signers" ]; then
  printf 'error: %s is missing; it lists the trusted signing keys (see SECURITY.md)\n' "$allowed_signers" >&2
  exit 2
fi
git_signed() {
  git -c gpg.ssh.allowedSignersFile="$allowed_signers" -c log.showSignature=false "$@"
}

if [ -z "$range" ]; then
  for base in origin/HEAD origin/main; do
    if git rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
      range="$base..HEAD"
      break
    fi
  done
  range=${range:-HEAD}
fi

if ! total=$(git rev-list --count "$range" -- 2>/dev/null); then
  printf 'error: %s is not a valid revision range\n' "$range" >&2
  exit 2
fi
if [ "$total" -eq 0 ]; then
  printf 'ok: no commits in %s; nothing to verify\n' "$range"
  exit 0
fi

# S03: %G? is G only for a good signature from a trusted key; every other status fails.
log=$(git_signed log --format='%h %G? %s' "$range" --)
failed=0
while read -r commit status subject; do
  case "$status" in
    G) continue ;;
    N) why="unsigned" ;;
    B) why="bad signature (the commit does not match it)" ;;
    U) why="signed by a key that is not in .allowed_signers" ;;
    X) why="good signature that has expired" ;;
    Y) why="good signature made by an expired key" ;;
    R) why="good signature made by a revoked key" ;;
    E) why="signature cannot be checked (is ssh-keygen installed?)" ;;
    *) why="unknown signature status '$status'" ;;
  esac
  failed=$((failed + 1))
  # printf, not echo: a commit subject is untrusted text and dash's echo interprets backslashes.
  printf 'FAIL %s %s: %s\n' "$commit" "$why" "$subject" >&2
done <<EOF
$log
EOF

if [ "$failed" -gt 0 ]; then
  printf 'error: %s of %s commits in %s lack a good signature from a trusted key\n' "$failed" "$total" "$range" >&2
  exit 1
fi
printf 'ok: all %s commits in %s have good signatures from trusted keys\n' "$total" "$range"
