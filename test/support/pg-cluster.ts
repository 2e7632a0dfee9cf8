import { execFile, execFileSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** A throwaway PostgreSQL cluster: a temp folder, a free port on 127.0.0.1, trust auth. */
export interface PostgresCluster {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` */
  url: string
  /** The data folder's parent (holds the data, the log and the unix socket). */
  dir: string
  /** Stops the server (`-m immediate`) and removes the folder. Safe to call twice. */
  stop(): Promise<void>
}

/** The `bin` folder of the highest PostgreSQL version under /usr/lib/postgresql, or null. */
export function findPostgresBin(): string | null {
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return null
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
  return versions.length ? join(root, versions[0]!, 'bin') : null
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => resolve(port))
    })
  })
}

/**
 * Starts a fresh PostgreSQL cluster for tests and benchmarks. The server binaries refuse to run as
 * root, so as root they run through `runuser -u postgres` in a folder owned by `postgres`.
 * fsync is off (a throwaway cluster), synchronous_commit stays on: benchmarks measure real commits.
 */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = findPostgresBin()
  if (!bin) throw new Error('no PostgreSQL binaries under /usr/lib/postgresql/*/bin (set DATABASE_URL instead)')
  const asRoot = process.getuid?.() === 0
  const dir = mkdtempSync(join(tmpdir(), 'jornada-pg-'))
  const data = join(dir, 'data')
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim())
    chownSync(dir, uid, gid)
  }
  // cwd = dir: pg_ctl fails when the postgres user cannot read the caller's working directory.
  const exec = (cmd: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { cwd: dir })
      : run(join(bin, cmd), args, { cwd: dir })

  let started = false
  const stop = async () => {
    process.off('exit', stopSync)
    if (started) {
      started = false
      await exec('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w']).catch(() => undefined)
    }
    rmSync(dir, { recursive: true, force: true })
  }
  const stopSync = () => {
    if (!started) return
    try {
      const args = ['stop', '-D', data, '-m', 'immediate', '-w']
      if (asRoot)
        execFileSync('runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), ...args], { cwd: dir, stdio: 'ignore' })
      else execFileSync(join(bin, 'pg_ctl'), args, { cwd: dir, stdio: 'ignore' })
    } catch {
      // best effort at process exit
    }
    rmSync(dir, { recursive: true, force: true })
  }

  try {
    await exec('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-locale', '--no-sync'])
    // The port can be taken between freePort() and the server's bind: try a few.
    let lastError: unknown
    for (let attempt = 0; attempt < 3 && !started; attempt++) {
      const port = await freePort()
      const opts = [
        `-p ${port}`,
        '-c listen_addresses=127.0.0.1',
        `-c unix_socket_directories=${dir}`,
        '-c fsync=off',
        '-c max_connections=200',
      ].join(' ')
      try {
        await exec('pg_ctl', ['start', '-D', data, '-w', '-t', '30', '-l', join(dir, 'server.log'), '-o', opts])
        started = true
        process.once('exit', stopSync)
        return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, dir, stop }
      } catch (err) {
        lastError = err
      }
    }
    throw lastError
  } catch (err) {
    await stop()
    throw new Error(`could not start a PostgreSQL cluster with ${bin}: ${(err as Error).message}`)
  }
}
