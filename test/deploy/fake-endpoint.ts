/**
 * A stand-in for a Snowflake account's HTTP API, just enough for snowflake-sdk to log in and run
 * statements, so the real driver's errors reach our adapter with their real shapes. Responses use
 * the documented wire format of login-request and query-request (success/code/message/data).
 * It can also fail on purpose the ways a real account does: a refused statement, a statement
 * that never answers, a slow login, a login answered with an HTTP error.
 */
import * as http from 'node:http';

export type Answer =
  | { rows: Array<Record<string, string | null>>; columns?: string[] }
  | { error: { code: string; message: string; sqlState?: string } };

export interface FakeEndpoint {
  port: number;
  /** Statements received, in order. */
  statements: string[];
  /** Bodies of login requests, raw (to check what the driver sent). */
  logins: string[];
  close(): Promise<void>;
}

export interface FakeOptions {
  /** Login error code and message; login succeeds when absent. */
  loginError?: { code: string; message: string };
  /** Answer every login request with this HTTP status and no Snowflake body (e.g. 500). */
  loginHttpStatus?: number;
  /** Wait this long before answering a login request. */
  loginDelayMs?: number;
  /** Never answer a statement for which this returns true (the request stays open). */
  hang?: (sql: string) => boolean;
  /** Answer for each statement; default: an empty result. */
  answer?: (sql: string) => Answer;
}

const LOGIN_OK = {
  success: true,
  code: null,
  message: null,
  data: { token: 'session-token', masterToken: 'master-token', validityInSeconds: 3600, masterValidityInSeconds: 14400, sessionId: 1, parameters: [], sessionInfo: { roleName: 'ETL_ROLE' } },
};

export async function fakeEndpoint(o: FakeOptions = {}): Promise<FakeEndpoint> {
  const statements: string[] = [];
  const logins: string[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const answerLogin = (res: http.ServerResponse): void => {
    if (o.loginError) {
      res.end(JSON.stringify({ success: false, code: o.loginError.code, message: o.loginError.message, data: { nextAction: null } }));
      return;
    }
    res.end(JSON.stringify(LOGIN_OK));
  };

  const answerQuery = (res: http.ServerResponse, a: Answer): void => {
    if ('error' in a) {
      res.end(JSON.stringify({ success: false, code: a.error.code, message: a.error.message, data: { sqlState: a.error.sqlState ?? '42000', queryId: 'q-' + statements.length, errorCode: a.error.code } }));
      return;
    }
    const columns = a.columns ?? Object.keys(a.rows[0] ?? {});
    res.end(
      JSON.stringify({
        success: true,
        data: {
          queryId: 'q-' + statements.length,
          rowtype: columns.map((name) => ({ name, type: 'text', nullable: true, length: 1000 })),
          rowset: a.rows.map((r) => columns.map((c) => r[c] ?? null)),
          total: a.rows.length,
          returned: a.rows.length,
          queryResultFormat: 'json',
          parameters: [],
        },
      }),
    );
  };

  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      const url = req.url ?? '';
      if (url.startsWith('/session/v1/login-request')) {
        logins.push(body);
        if (o.loginHttpStatus) {
          res.statusCode = o.loginHttpStatus;
          res.setHeader('content-type', 'text/html');
          res.end('<html><body>Internal error</body></html>');
        } else if (o.loginDelayMs) {
          const timer = setTimeout(() => {
            timers.delete(timer);
            answerLogin(res);
          }, o.loginDelayMs);
          timers.add(timer);
        } else {
          answerLogin(res);
        }
        return;
      }
      if (url.startsWith('/queries/v1/query-request')) {
        const sql = String((JSON.parse(body) as { sqlText: string }).sqlText);
        statements.push(sql);
        if (o.hang?.(sql)) return;
        answerQuery(res, o.answer ? o.answer(sql) : { rows: [] });
        return;
      }
      res.end(JSON.stringify({ success: true, data: {} }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as { port: number }).port,
    statements,
    logins,
    close: () =>
      new Promise<void>((r) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** connections.toml text for a connection to the fake endpoint (or to a closed port). */
export function fakeConnection(port: number, extra = ''): string {
  return `[fake]\naccount = "myorg-fake"\nuser = "ETL_DEPLOYER"\nrole = "ETL_ROLE"\npassword = "Pw-0f-the-Fake-Acct"\nwarehouse = "ETL_WH"\nhost = "127.0.0.1"\nport = ${port}\nprotocol = "http"\nsf_retry_max_login_retries = 0\n${extra}`;
}
