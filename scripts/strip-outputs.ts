// Removes outputs and execution counts from the notebooks in notebooks/ (or the ones named), so that
// what is committed is the chapter's source. Run before committing a notebook you ran in Jupyter.
import fs from "fs";
import path from "path";
import { readNotebook } from "./notebook-format";
import { NOTEBOOKS, listNotebooks } from "./notebooks";

const names = process.argv.slice(2);
for (const name of names.length ? names : listNotebooks()) {
  const file = path.isAbsolute(name) || name.includes("/") ? name : path.join(NOTEBOOKS, name);
  const notebook = readNotebook(file);
  let cleaned = 0;
  for (const cell of notebook.cells) {
    if (cell.cell_type !== "code") continue;
    if (cell.outputs.length || cell.execution_count !== null) cleaned++;
    cell.outputs = [];
    cell.execution_count = null;
    delete cell.metadata.execution; // timing metadata some front ends add
  }
  delete notebook.metadata.widgets;
  fs.writeFileSync(file, JSON.stringify(notebook, null, 1) + "\n");
  console.log(`${path.basename(file)}: ${cleaned} code cells cleaned`);
}
