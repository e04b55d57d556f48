import path from 'node:path';
import ts from 'typescript';

/** What the TypeScript sources say about one config module's variables. */
export interface ModuleDocs {
  /** JSDoc by variable name, from the keys of every shape the module's schemas are built from. */
  variables: Map<string, string>;
  /** JSDoc of each exported schema (the section's introduction), by export name. */
  exports: Map<string, string>;
}

/**
 * The text of the JSDoc comment on a declaration as its author wrote it. Read from the source
 * rather than from the parsed comment: the parser would end the text at anything that looks like
 * a tag (`see @platform/redis's README` is a `@platform` tag to it).
 */
function rawComment(declaration: ts.Declaration): string {
  const comment = ts.getJSDocCommentsAndTags(declaration).filter(ts.isJSDoc).at(-1);
  if (!comment) return '';
  return comment
    .getText()
    .replace(/^\/\*\*/, '')
    .replace(/\*\/$/, '')
    .split('\n')
    .map((line) => line.replace(/^\s*\* ?/, '').trimEnd())
    .join('\n')
    .trim();
}

/** zod methods whose argument is a shape of variables (`z.object({...})`, `schema.extend({...})`). */
const SHAPE_METHODS = new Set(['object', 'strictObject', 'looseObject', 'extend', 'safeExtend']);

/**
 * The JSDoc comments on the keys of the config shapes, read with the TypeScript compiler API.
 * The comments stay where the variables are declared (one source of truth, as they are written
 * today), and the type checker follows them through spreads, helper functions and imports: a
 * shape spread from another module (`...metricsSettings`) keeps its keys' comments.
 */
export function readModuleDocs(root: string, files: string[]): Map<string, ModuleDocs> {
  const configFile = ts.findConfigFile(root, ts.sys.fileExists, 'tsconfig.json');
  const options = configFile
    ? ts.parseJsonConfigFileContent(
        ts.readConfigFile(configFile, ts.sys.readFile).config,
        ts.sys,
        path.dirname(configFile),
      ).options
    : {};
  const absolute = files.map((file) => path.resolve(root, file));
  const program = ts.createProgram(absolute, { ...options, noEmit: true });
  const checker = program.getTypeChecker();
  const docsOf = (symbol: ts.Symbol) =>
    symbol.declarations?.map(rawComment).find(Boolean) ??
    ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();

  const result = new Map<string, ModuleDocs>();
  for (const [index, file] of absolute.entries()) {
    const source = program.getSourceFile(file);
    if (!source) throw new Error(`TypeScript could not read ${file}`);
    const variables = new Map<string, string>();
    const visit = (node: ts.Node) => {
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        SHAPE_METHODS.has(node.expression.name.text)
      ) {
        for (const argument of node.arguments) {
          for (const property of checker.getTypeAtLocation(argument).getProperties()) {
            const doc = docsOf(property);
            if (doc && !variables.get(property.name)) variables.set(property.name, doc);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);

    const exports = new Map<string, string>();
    const moduleSymbol = checker.getSymbolAtLocation(source);
    for (const symbol of moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : []) {
      exports.set(symbol.name, docsOf(symbol));
    }
    result.set(files[index]!, { variables, exports });
  }
  return result;
}
