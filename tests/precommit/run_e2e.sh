#!/usr/bin/env bash
# End to end with real clients: a scratch git repository where a commit of a
# compose file with a hardcoded password is refused and, once fixed, accepted
# - through the pre-commit framework (`pre-commit try-repo` on this checkout,
# then an installed .pre-commit-config.yaml pointing at it) and through the
# plain hooks/pre-commit.
#
#   tests/precommit/run_e2e.sh CHECKOUT POLICY_CHECK_BINARY
#
# Exit 0 when every step behaves, 1 when one does not, 77 when `pre-commit`
# or git is missing (the plain hook is still tested when only pre-commit is).
set -uo pipefail
checkout="$(cd "$1" && pwd)"
export POLICY_CHECK="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
# The release the README snippet names: the one this binary is (project(VERSION)).
version="$("$POLICY_CHECK" --version | awk '{print $2}')"
secret='S3cretPassw0rd!'
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
command -v git >/dev/null || { echo "skipped: git is not installed"; exit 77; }

# The built-in packs when they have RDY-SEC-001, else the stand-in rule here.
if "$POLICY_CHECK" explain RDY-SEC-001 >/dev/null 2>&1; then
  hook_args=(--only RDY-SEC-001)
  rule=RDY-SEC-001
else
  hook_args=(--no-builtin --rules "$checkout/tests/precommit/secrets.policy")
  rule=PRE-SEC-001
fi

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export PRE_COMMIT_HOME="$scratch/cache" HOME="$scratch/home"
mkdir -p "$HOME"
git config --global user.email ci@example.invalid
git config --global user.name "policy-check ci"
git config --global init.defaultBranch main
git config --global protocol.file.allow always

bad_compose() {
  printf 'services:\n  db:\n    image: postgres:16.2\n    environment:\n      POSTGRES_PASSWORD: "%s"\n' "$secret" >docker-compose.yml
}
good_compose() {
  printf 'services:\n  db:\n    image: postgres:16.2\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n' >docker-compose.yml
}
# $1: name; then the command. Expects refusal naming the rule, never the secret.
expect_refused() {
  local name="$1"; shift
  if "$@" >"$scratch/log" 2>&1; then
    fail "$name: accepted a hardcoded password"; cat "$scratch/log" >&2
  elif ! grep -q "$rule" "$scratch/log"; then
    fail "$name: refused without naming $rule"; cat "$scratch/log" >&2
  elif grep -qF "$secret" "$scratch/log"; then
    fail "$name: printed the password"
  else
    echo "ok: $name refused ($rule)"
  fi
}
expect_accepted() {
  local name="$1"; shift
  if "$@" >"$scratch/log" 2>&1; then
    echo "ok: $name accepted"
  else
    fail "$name: refused the fixed file"; cat "$scratch/log" >&2
  fi
}

new_repo() {
  rm -rf "$scratch/repo" && mkdir "$scratch/repo" && cd "$scratch/repo" && git init -q &&
    printf '# scratch\n' >README.md && git add README.md && git commit -qm init --no-verify
}

# 1. The plain git hook.
new_repo
cp "$checkout/hooks/pre-commit" .git/hooks/pre-commit
export POLICY_CHECK_ARGS="${hook_args[*]}"
bad_compose && git add docker-compose.yml
expect_refused "hooks/pre-commit" git commit -qm "add db"
# Partly staged: the staged (bad) version is what counts.
good_compose
expect_refused "hooks/pre-commit, fix not staged" git commit -qm "add db"
git add docker-compose.yml
expect_accepted "hooks/pre-commit" git commit -qm "add db"
unset POLICY_CHECK_ARGS

if ! command -v pre-commit >/dev/null; then
  echo "skipped: the pre-commit framework is not installed"
[ "$failures" -eq 0 ] && exit 77 || exit 1
fi

# 2. pre-commit try-repo on this checkout, which takes no hook args: the
# scratch repository's .policy-check.yaml narrows the rules instead.
new_repo
cp "$checkout/tests/precommit/secrets.policy" .
printf 'builtin: false\nrules: [secrets.policy]\n' >.policy-check.yaml
saved_rule="$rule"
rule=PRE-SEC-001
bad_compose && git add docker-compose.yml
expect_refused "pre-commit try-repo" \
  pre-commit try-repo "$checkout" policy-check --files docker-compose.yml -v
good_compose && git add docker-compose.yml
expect_accepted "pre-commit try-repo" \
  pre-commit try-repo "$checkout" policy-check --files docker-compose.yml
rule="$saved_rule"

# 3. An installed configuration pointing at this checkout's HEAD, with args.
if git -C "$checkout" cat-file -e HEAD:.pre-commit-hooks.yaml 2>/dev/null; then
  new_repo
  {
    echo "repos:"
    echo "  - repo: $checkout"
    echo "    rev: $(git -C "$checkout" rev-parse HEAD)"
    echo "    hooks:"
    echo "      - id: policy-check"
    printf '        args: ['
    sep=""
    for a in "${hook_args[@]}"; do printf '%s"%s"' "$sep" "$a"; sep=", "; done
    printf ']\n'
  } >.pre-commit-config.yaml
  git add .pre-commit-config.yaml && git commit -qm "pre-commit" --no-verify
  pre-commit install >/dev/null
  bad_compose && git add docker-compose.yml
  expect_refused "pre-commit install" git commit -qm "add db"
  good_compose && git add docker-compose.yml
  expect_accepted "pre-commit install" git commit -qm "add db"
else
  echo "note: HEAD of $checkout has no .pre-commit-hooks.yaml yet; installed-config step skipped"
fi

# 4. The README's snippet as written (but for the URL) against a tag: a clone
# of this checkout, its hook files as in the working tree, tagged v$version. The
# snippet's hook is policy-check-system, which runs the policy-check on PATH
# (language: system): nothing is downloaded or built.
clone="$scratch/clone"
git clone -q "$checkout" "$clone"
cp "$checkout/.pre-commit-hooks.yaml" "$clone/" && cp -R "$checkout/hooks/." "$clone/hooks/"
git -C "$clone" add -A .pre-commit-hooks.yaml hooks
git -C "$clone" commit -qm "hooks as in the working tree" --no-verify >/dev/null 2>&1 || true
git -C "$clone" tag -f v$version >/dev/null
snippet="$(awk '/<!-- pre-commit:begin -->/{on=1; next} /<!-- pre-commit:end -->/{on=0} on && !/^```/' \
  "$checkout/README.md")"
if ! printf '%s\n' "$snippet" | grep -q "rev: v$version"; then
  fail "README: the pre-commit snippet (between its markers) does not use rev v$version"
fi
export PATH="$(dirname "$POLICY_CHECK"):$PATH"
[ "$(basename "$POLICY_CHECK")" = policy-check ] || fail "the binary must be named policy-check"
new_repo
cp "$checkout/tests/precommit/secrets.policy" .
printf 'builtin: false\nrules: [secrets.policy]\n' >.policy-check.yaml
printf '%s\n' "$snippet" | sed "s#https://github.com/OWNER/libpolicy#$clone#" >.pre-commit-config.yaml
git add .pre-commit-config.yaml .policy-check.yaml secrets.policy &&
  git commit -qm "pre-commit" --no-verify
saved_rule="$rule"
rule=PRE-SEC-001
pre-commit install >/dev/null
bad_compose && git add docker-compose.yml
expect_refused "README snippet at v$version" git commit -qm "add db"
# A Helm template beside it is not the hook's business.
mkdir -p chart/templates && printf 'kind: {{ .Values.kind }}\n  bad: [\n' >chart/templates/x.yaml
good_compose && git add docker-compose.yml chart
expect_accepted "README snippet at v$version" git commit -qm "add db"
bad_compose && git add docker-compose.yml
expect_refused "try-repo --ref v$version policy-check-system" \
  pre-commit try-repo --ref v$version "$clone" policy-check-system --files docker-compose.yml
rule="$saved_rule"

[ "$failures" -eq 0 ]
