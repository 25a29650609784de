#!/usr/bin/env node
// Generate (default) or check (--check) the JSON Schema of every command's --json output:
// schemas/json/<command id with dashes>.json (packs-list.json), plus error.json for the error
// shape every command prints on failure. The schemas are kept in the repository so a change of
// a command's output is a visible diff (sf-plugins' habit); `npm run lint` runs --check.
//
// Each schema is made from the declared return type of the command's run() (Promise<T>) with
// ts-json-schema-generator, in one TypeScript program for all commands. Types inferred from zod
// (`type X = z.infer<typeof X>`) cannot be read from TypeScript: for those the zod schema itself
// is converted with zod's z.toJSONSchema (output side: what the value looks like once parsed).
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'
import {build} from 'esbuild'
import {BaseType, createFormatter, createParser, SchemaGenerator} from 'ts-json-schema-generator'

// the TypeScript the generator runs on (its own copy): node kinds must come from the same one
const ts = createRequire(createRequire(import.meta.url).resolve('ts-json-schema-generator'))('typescript')

const repo = join(dirname(fileURLToPath(import.meta.url)), '..')
const outDir = join(repo, 'schemas', 'json')
const check = process.argv.includes('--check')
/** the error shape (src/cli/error-output.ts) is schemas/json/error.json */
const ERROR_SCHEMA = {name: 'error', file: join(repo, 'src', 'cli', 'error-output.ts'), type: 'ErrorOutput'}
const config = {tsconfig: join(repo, 'tsconfig.json'), skipTypeCheck: true, expose: 'export', topRef: true, jsDoc: 'extended', additionalProperties: false}

function commandFiles(dir) {
  return readdirSync(dir, {withFileTypes: true})
    .flatMap((e) => (e.isDirectory() ? commandFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []))
    .sort()
}

/** commands/packs/manifest/lock.ts -> packs-manifest-lock */
const schemaName = (file) => relative(join(repo, 'commands'), file).replace(/\.ts$/, '').split('/').join('-')

/** a zod schema's JSON Schema, carried through the generator as a type of its own */
class JsonSchemaType extends BaseType {
  constructor(id, schema) {
    super()
    this.id = id
    this.schema = schema
  }

  getId() {
    return this.id
  }
}

const jsonSchemaFormatter = {
  supportsType: (type) => type instanceof JsonSchemaType,
  getDefinition: (type) => type.schema,
  getChildren: () => [],
}

/** the zod schemas exported by a source file, converted to JSON Schema (bundled by esbuild: no build needed) */
const zodModules = new Map()
async function zodJsonSchemas(file) {
  if (zodModules.has(file)) return zodModules.get(file)
  const entry = `export * as schemas from ${JSON.stringify(file)}; export {toJSONSchema} from 'zod'`
  const out = await build({stdin: {contents: entry, resolveDir: repo, loader: 'ts'}, bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'silent'})
  const mod = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`)
  const converted = {}
  for (const [name, value] of Object.entries(mod.schemas)) {
    if (value && typeof value === 'object' && '_zod' in value) {
      const {$schema: _, ...schema} = mod.toJSONSchema(value, {target: 'draft-7', io: 'output', unrepresentable: 'any'})
      converted[name] = schema
    }
  }
  zodModules.set(file, converted)
  return converted
}

/** the symbol a name refers to, through imports */
function symbolOf(name, checker) {
  const symbol = checker.getSymbolAtLocation(name)
  return symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
}

/** `z.infer<typeof X>` / `z.output<typeof X>`: the source file and name of the zod schema X */
function zodReference(node, checker) {
  if (!ts.isTypeReferenceNode(node) || !/^z\.(infer|output)$/.test(node.typeName.getText())) return undefined
  const query = node.typeArguments?.[0]
  if (!query || !ts.isTypeQueryNode(query)) return undefined
  const symbol = symbolOf(query.exprName, checker)
  const decl = symbol?.valueDeclaration
  if (!decl) throw new Error(`cannot find the zod schema of ${node.getText()}`)
  return {file: decl.getSourceFile().fileName, name: symbol.name}
}

/** every zod reference reachable from the program's files, converted up front (the parser is synchronous) */
async function loadZodSchemas(program) {
  const checker = program.getTypeChecker()
  const found = new Map()
  const visit = (node) => {
    const ref = zodReference(node, checker)
    if (ref) found.set(`${ref.file}#${ref.name}`, ref)
    ts.forEachChild(node, visit)
  }
  for (const sf of program.getSourceFiles()) if (!sf.fileName.includes('/node_modules/')) visit(sf)
  const schemas = new Map()
  for (const [key, ref] of found) {
    const schema = (await zodJsonSchemas(ref.file))[ref.name]
    if (schema) schemas.set(key, schema)
  }
  return schemas
}

function zodParser(checker, schemas) {
  return {
    supportsNode: (node) => !!zodReference(node, checker),
    createType(node) {
      const ref = zodReference(node, checker)
      const key = `${ref.file}#${ref.name}`
      if (!schemas.has(key)) throw new Error(`${relative(repo, ref.file)}: ${ref.name} is not an exported zod schema`)
      return new JsonSchemaType(`zod-${relative(repo, key)}`, schemas.get(key))
    },
  }
}

/** one TypeScript program over the given files, with the repository's compiler options */
function makeProgram(rootNames) {
  const {config: raw, error} = ts.readConfigFile(config.tsconfig, ts.sys.readFile)
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'))
  const {options} = ts.parseJsonConfigFileContent(raw, ts.sys, repo)
  return ts.createProgram(rootNames, {...options, noEmit: true})
}

/** T of the default-exported command class's `async run(): Promise<T>`, or an error message */
function runResultType(sf, checker) {
  let method
  const visit = (node) => {
    if (ts.isMethodDeclaration(node) && node.name.getText() === 'run' && ts.isClassDeclaration(node.parent)) method ??= node
    else ts.forEachChild(node, visit)
  }
  visit(sf)
  if (!method) return {error: 'has no run() method'}
  const type = method.type
  if (!type || !ts.isTypeReferenceNode(type) || type.typeName.getText() !== 'Promise' || type.typeArguments?.length !== 1) return {error: 'run() must declare its return type: async run(): Promise<ResultType>, ResultType exported from src/'}
  const result = type.typeArguments[0]
  const named = ts.isArrayTypeNode(result) ? result.elementType : result
  const where = ts.isTypeReferenceNode(named) ? declaredIn(named.typeName, checker) : undefined
  if (!where?.startsWith(join(repo, 'src') + '/')) return {error: `run() returns ${result.getText()}: name an exported type declared in src/ (commands stay thin)`}
  return {node: result}
}

/** the file declaring the type a name refers to (through imports) */
const declaredIn = (name, checker) => symbolOf(name, checker)?.declarations?.[0]?.getSourceFile().fileName

function exportedInterface(sf, name) {
  const found = sf.statements.find((s) => (ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) && s.name.text === name)
  return found ? {node: found} : {error: `does not export ${name}`}
}

async function main() {
  const files = commandFiles(join(repo, 'commands'))
  const program = makeProgram([...files, ERROR_SCHEMA.file])
  const checker = program.getTypeChecker()
  const zodSchemas = await loadZodSchemas(program)
  const parser = createParser(program, config, (p) => p.addNodeParser(zodParser(checker, zodSchemas)))
  const generator = new SchemaGenerator(program, parser, createFormatter(config, (f) => f.addTypeFormatter(jsonSchemaFormatter)), config)

  const targets = [...files.map((file) => ({name: schemaName(file), file, root: () => runResultType(program.getSourceFile(file), checker)})), {...ERROR_SCHEMA, root: () => exportedInterface(program.getSourceFile(ERROR_SCHEMA.file), ERROR_SCHEMA.type)}]
  const problems = []
  const expected = new Set()
  for (const t of targets) {
    const target = join(outDir, `${t.name}.json`)
    expected.add(target)
    const root = t.root()
    if (root.error) {
      problems.push(`${relative(repo, t.file)}: ${root.error}`)
      continue
    }
    let schema
    try {
      schema = generator.createSchemaFromNodes([root.node])
    } catch (error) {
      problems.push(`${relative(repo, t.file)}: cannot make a JSON Schema of ${root.node.getText()}: ${error.message.split('\n')[0]}`)
      continue
    }
    if (!check) save(target, schema)
    else if (!upToDate(target, schema)) problems.push(`${relative(repo, target)} is ${existsSync(target) ? 'out of date' : 'missing'}: run \`npm run schemas\` and commit the result`)
  }
  for (const stale of existsSync(outDir) ? readdirSync(outDir).map((f) => join(outDir, f)) : []) {
    if (expected.has(stale)) continue
    if (check) problems.push(`${relative(repo, stale)} belongs to no command: run \`npm run schemas\` and commit the result`)
    else rmSync(stale)
  }
  if (problems.length) {
    for (const p of problems) console.error(p)
    process.exit(1)
  }
  console.error(`${check ? 'checked' : 'wrote'} ${expected.size} schemas in ${relative(repo, outDir)}`)
}

const body = (schema) => JSON.stringify(schema, null, 2) + '\n'

const upToDate = (target, schema) => existsSync(target) && readFileSync(target, 'utf8') === body(schema)

function save(target, schema) {
  mkdirSync(dirname(target), {recursive: true})
  writeFileSync(target, body(schema))
}

await main()
