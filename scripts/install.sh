#!/usr/bin/env bash
# Builds dealreg for deployment and installs it under PREFIX:
#     scripts/install.sh PREFIX            e.g. scripts/install.sh /usr/local, or ~/.local
#   PREFIX/bin/dealreg                                    the binary (templates compiled in)
#   PREFIX/share/man/man1/dealreg.1                       the man page (all commands)
#   PREFIX/share/bash-completion/completions/dealreg      shell completions (bash, zsh, fish)
#   PREFIX/share/zsh/site-functions/_dealreg
#   PREFIX/share/fish/vendor_completions.d/dealreg.fish
# The binary links the Swift runtime and Foundation statically (--static-swift-stdlib); it
# still needs the system's ICU and SQLite (Debian: libicu72 libsqlite3-0), as `ldd` shows.
# DEALREG_BUILD_FLAGS replaces the build flags (default --static-swift-stdlib); DEALREG_BINARY
# installs an already built binary instead of building.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: scripts/install.sh PREFIX" >&2; exit 64; }
prefix=$1
cd "$(dirname "$0")/.."

binary=${DEALREG_BINARY:-}
if [ -z "$binary" ]; then
  # shellcheck disable=SC2086
  swift build -c release --product dealreg ${DEALREG_BUILD_FLAGS---static-swift-stdlib}
  binary=$(swift build -c release --show-bin-path)/dealreg
fi

install -d "$prefix/bin" "$prefix/share/man/man1" "$prefix/share/bash-completion/completions" \
  "$prefix/share/zsh/site-functions" "$prefix/share/fish/vendor_completions.d"
install -m 0755 "$binary" "$prefix/bin/dealreg"
dealreg=$prefix/bin/dealreg
"$dealreg" --generate-completion-script bash > "$prefix/share/bash-completion/completions/dealreg"
"$dealreg" --generate-completion-script zsh > "$prefix/share/zsh/site-functions/_dealreg"
"$dealreg" --generate-completion-script fish > "$prefix/share/fish/vendor_completions.d/dealreg.fish"
# The man page: argument-parser's generate-manual (the tool behind its GenerateManual plugin, built
# from the checked-out dependency, offline) reads the installed binary's commands; without it, a
# plainer page from the commands' help text (scripts/make-man.sh). The plugin itself
# (`swift package plugin generate-manual`) works too, but rebuilds the release binary without
# --static-swift-stdlib, so the tool is run directly instead.
if swift build --product generate-manual >/dev/null 2>&1; then
  "$(swift build --show-bin-path)/generate-manual" "$dealreg" --output-directory "$prefix/share/man/man1"
else
  echo "generate-manual could not be built; writing the man page from the help text" >&2
  bash scripts/make-man.sh "$dealreg" > "$prefix/share/man/man1/dealreg.1"
fi
echo "installed $("$dealreg" --version) into $prefix"
