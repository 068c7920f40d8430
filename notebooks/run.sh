#!/usr/bin/env bash
# Execute notebooks/model_exploration.ipynb headless with the tslab (TypeScript) kernel, into a temporary
# copy (the committed notebook is not touched), and fail if any cell fails.
#
#   bash notebooks/run.sh            # check that the notebook runs
#   bash notebooks/run.sh --update   # also save the executed notebook over the committed one (outputs included)
#
# Installs what is missing: Debian's Jupyter (nbconvert + jupyter_client; apt-get, needs root) and, in
# notebooks/ only, the tslab kernel (`npm ci`). Builds dist/ if it is missing (the notebook imports it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
nb="model_exploration.ipynb"
update=0
[[ "${1:-}" == "--update" ]] && update=1

# Debian's Jupyter, not the pyenv python3 on PATH.
if ! /usr/bin/python3 -c "import nbconvert, nbclient, jupyter_client" 2>/dev/null; then
  echo "notebooks/run.sh: installing jupyter-nbconvert and jupyter-client (apt-get)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends jupyter-nbconvert jupyter-client >/dev/null \
    || { apt-get update >/dev/null && apt-get install -y --no-install-recommends jupyter-nbconvert jupyter-client >/dev/null; }
fi

# The kernel: tslab, in notebooks/node_modules (never in the root package: its TypeScript would shadow the root's tsc).
if [[ ! -x "$here/node_modules/.bin/tslab" ]]; then
  echo "notebooks/run.sh: npm ci in notebooks/" >&2
  (cd "$here" && npm ci --no-audit --no-fund)
fi

if [[ ! -f "$root/dist/index.js" ]]; then
  echo "notebooks/run.sh: dist/ is missing, building" >&2
  (cd "$root" && npm run build)
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cd "$here" # kernel.json's argv (node_modules/.bin/tslab) and the notebook's ../dist paths are relative to notebooks/
export JUPYTER_PATH="$here/jupyter"
start=$SECONDS
if ! /usr/bin/python3 -m nbconvert --to notebook --execute --ExecutePreprocessor.timeout=300 \
     --output-dir "$out" --output "$nb" "$nb"; then
  echo "notebooks/run.sh: a cell failed; rerunning with --allow-errors to show it" >&2
  /usr/bin/python3 -m nbconvert --to notebook --execute --allow-errors --ExecutePreprocessor.timeout=300 \
    --output-dir "$out" --output "$nb" "$nb" >/dev/null 2>&1 || true
  /usr/bin/python3 - "$out/$nb" <<'PY' >&2
import json, sys
nb = json.load(open(sys.argv[1]))
for i, c in enumerate(nb["cells"]):
    for o in c.get("outputs", []):
        if o.get("output_type") == "error" or (o.get("output_type") == "stream" and o.get("name") == "stderr"):
            print(f"--- cell {i}:\n" + "".join(c["source"])[:300] + "\n>>>")
            print(o.get("text") or (o.get("ename", "") + ": " + o.get("evalue", "")) + "\n" + "\n".join(o.get("traceback", [])))
PY
  exit 1
fi
echo "notebooks/run.sh: $nb executed in $((SECONDS - start)) s" >&2
# tslab reports a failed cell as an error output (nbconvert stops on it) but a TypeScript type error as stderr
# text: fail on either. Number the code cells (tslab leaves execution counts empty).
/usr/bin/python3 - "$out/$nb" <<'PY'
import json, sys
path = sys.argv[1]
nb = json.load(open(path))
bad, n = [], 0
for i, c in enumerate(nb["cells"]):
    if c["cell_type"] != "code":
        continue
    n += 1
    c["execution_count"] = n
    for o in c.get("outputs", []):
        if o.get("output_type") == "execute_result":
            o["execution_count"] = n
        if o.get("output_type") == "error" or (o.get("output_type") == "stream" and o.get("name") == "stderr"):
            bad.append(f"cell {i}: " + (o.get("text") if isinstance(o.get("text"), str) else "".join(o.get("text") or [o.get("evalue", "")])))
json.dump(nb, open(path, "w"), indent=1, ensure_ascii=False)
open(path, "a").write("\n")
if bad:
    sys.exit("notebooks/run.sh: cells wrote errors:\n" + "\n".join(bad))
PY
if (( update )); then
  cp "$out/$nb" "$here/$nb"
  echo "notebooks/run.sh: saved the executed notebook to notebooks/$nb" >&2
fi
