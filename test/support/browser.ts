/**
 * Headless Chromium for the HTML view's tests: the Debian `chromium` binary started by the test
 * itself (no browser download), driven over the DevTools protocol with chrome-remote-interface.
 * A page records what a user would see go wrong: console errors, uncaught exceptions, browser log
 * errors (a Content-Security-Policy violation is one) and every network request it makes.
 * Under CI=true a missing chromium fails the suite; elsewhere the tests skip with a message.
 */
import {spawn, spawnSync, type ChildProcess} from 'node:child_process'
import {rmSync} from 'node:fs'
import {pathToFileURL} from 'node:url'
import CDP from 'chrome-remote-interface'
import {PNG} from 'pngjs'
import {tempDir} from './cli.js'

/** the chromium binary on PATH, or null */
export function findChromium(): string | null {
  const r = spawnSync('sh', ['-c', 'command -v chromium'], {encoding: 'utf8'})
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null
}

/** why the browser tests cannot run (null: they can); under CI=true a missing chromium throws */
export function chromiumMissing(): string | null {
  if (findChromium()) return null
  const why = 'chromium is not installed (apt-get install -y chromium; .ci/run installs it)'
  if (process.env.CI === 'true') throw new Error(`CI=true: ${why}`)
  return why
}

export const VIEWPORT = {width: 1280, height: 800}

export interface Browser {
  port: number
  open(file: string): Promise<Page>
  close(): Promise<void>
}

export interface Page {
  client: CDP.Client
  url: string
  /** console errors, exceptions and browser log errors, as text */
  errors: string[]
  /** every URL the page requested (the page itself included) */
  requests: string[]
  /** requests that failed */
  failed: string[]
  evaluate<T>(expression: string): Promise<T>
  /** poll `expression` until it is truthy */
  waitFor(expression: string, timeoutMs?: number): Promise<void>
  screenshot(): Promise<Buffer>
  click(x: number, y: number): Promise<void>
  type(selector: string, text: string): Promise<void>
  press(key: 'Enter'): Promise<void>
  close(): Promise<void>
}

/** start chromium headless on a free DevTools port (read from its stderr) */
export async function launchChromium(): Promise<Browser> {
  const bin = findChromium()
  if (!bin) throw new Error('chromium is not installed')
  const profile = tempDir('ggen-chromium-')
  const args = ['--headless=new', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--remote-debugging-port=0', `--user-data-dir=${profile}`, `--window-size=${VIEWPORT.width},${VIEWPORT.height}`, '--no-first-run', '--no-default-browser-check', 'about:blank']
  const proc = spawn(bin, args, {stdio: ['ignore', 'ignore', 'pipe']})
  const port = await devtoolsPort(proc)
  const close = async () => {
    proc.kill('SIGTERM')
    await new Promise((r) => (proc.exitCode === null ? proc.once('exit', r) : r(null)))
    rmSync(profile, {recursive: true, force: true})
  }
  return {port, open: (file) => openPage(port, file), close}
}

function devtoolsPort(proc: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let err = ''
    const timer = setTimeout(() => reject(new Error(`chromium did not start in 30 s:\n${err}`)), 30_000)
    proc.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString()
      const m = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(err)
      if (m) {
        clearTimeout(timer)
        resolve(Number(m[1]))
      }
    })
    proc.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`chromium exited (${code}):\n${err}`))
    })
  })
}

async function openPage(port: number, file: string): Promise<Page> {
  const target = await CDP.New({port, url: 'about:blank'})
  const client = await CDP({port, target})
  const url = pathToFileURL(file).href
  const errors: string[] = []
  const requests: string[] = []
  const failed: string[] = []
  client.Runtime.on('consoleAPICalled', (e) => {
    if (e.type === 'error' || e.type === 'assert') errors.push(`console.${e.type}: ${e.args.map((a) => a.value ?? a.description).join(' ')}`)
  })
  client.Runtime.on('exceptionThrown', (e) => errors.push(`exception: ${e.exceptionDetails.exception?.description ?? e.exceptionDetails.text}`))
  client.Log.on('entryAdded', (e) => {
    if (e.entry.level === 'error') errors.push(`log: ${e.entry.text}`)
  })
  client.Network.on('requestWillBeSent', (e) => requests.push(e.request.url))
  client.Network.on('loadingFailed', (e) => failed.push(`${e.requestId}: ${e.errorText}`))
  await Promise.all([client.Runtime.enable(), client.Log.enable(), client.Network.enable(), client.Page.enable()])
  // a tab in the background gets no animation frames
  await client.Page.bringToFront()
  await client.Emulation.setDeviceMetricsOverride({...VIEWPORT, deviceScaleFactor: 1, mobile: false})
  const loaded = client.Page.loadEventFired()
  await client.Page.navigate({url})
  await loaded
  const evaluate = async <T>(expression: string): Promise<T> => {
    const r = await client.Runtime.evaluate({expression, returnByValue: true, awaitPromise: true})
    if (r.exceptionDetails) throw new Error(`${expression}: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`)
    return r.result.value as T
  }
  const mouse = (type: 'mousePressed' | 'mouseReleased' | 'mouseMoved', x: number, y: number) => client.Input.dispatchMouseEvent({type, x, y, button: type === 'mouseMoved' ? 'none' : 'left', clickCount: type === 'mouseMoved' ? 0 : 1})
  return {
    client,
    url,
    errors,
    requests,
    failed,
    evaluate,
    async waitFor(expression, timeoutMs = 15_000) {
      const end = Date.now() + timeoutMs
      while (!(await evaluate<boolean>(`Boolean(${expression})`))) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${expression}; errors: ${errors.join('; ')}`)
        await new Promise((r) => setTimeout(r, 50))
      }
    },
    async screenshot() {
      const {data} = await client.Page.captureScreenshot({format: 'png'})
      return Buffer.from(data, 'base64')
    },
    async click(x, y) {
      await mouse('mouseMoved', x, y)
      await mouse('mousePressed', x, y)
      await mouse('mouseReleased', x, y)
    },
    async type(selector, text) {
      await evaluate(`document.querySelector(${JSON.stringify(selector)}).focus()`)
      await client.Input.insertText({text})
    },
    async press(key) {
      const k = {key, code: key, windowsVirtualKeyCode: 13, nativeVirtualKeyCode: 13}
      await client.Input.dispatchKeyEvent({type: 'rawKeyDown', ...k})
      await client.Input.dispatchKeyEvent({type: 'char', ...k, text: '\r'})
      await client.Input.dispatchKeyEvent({type: 'keyUp', ...k})
    },
    async close() {
      await client.close()
      await CDP.Close({port, id: target.id})
    },
  }
}

type Box = [x0: number, y0: number, x1: number, y1: number]

/** every other pixel of the box, as [r, g, b] */
function* pixels(png: Buffer, box: Box): Generator<[number, number, number]> {
  const img = PNG.sync.read(png)
  for (let y = box[1]; y < Math.min(box[3], img.height); y += 2) {
    for (let x = box[0]; x < Math.min(box[2], img.width); x += 2) {
      const i = (y * img.width + x) * 4
      yield [img.data[i]!, img.data[i + 1]!, img.data[i + 2]!]
    }
  }
}

/** pixels in the box that are not near-white: a blank canvas has none */
export const inkedPixels = (png: Buffer, box: Box): number => [...pixels(png, box)].filter(([r, g, b]) => r < 230 || g < 230 || b < 230).length

/** distinct colours in the box, quantised so anti-aliasing does not count (kinds and flags are coloured apart) */
export const distinctColours = (png: Buffer, box: Box): number => new Set([...pixels(png, box)].map(([r, g, b]) => ((r >> 5) << 6) | ((g >> 5) << 3) | (b >> 5))).size
