import { useState } from 'preact/hooks';
import { ApiError, closeLiveConnection, query } from './api';
import { AuditView } from './audit-view';
import { ProgramView } from './program-view';
import { ProgramsView } from './programs-view';
import { ME } from './queries';
import { RelationshipView } from './relationship-view';
import { useRoute } from './route';
import { clearToken, getToken, setToken } from './session';
import { useLoad } from './use-query';

interface Me {
  me: { subject: string; roles: string[]; programIds: string[]; participantId: string | null };
}

export function App() {
  const [token, setTokenState] = useState(getToken());
  if (!token) return <SignIn onSignedIn={() => setTokenState(getToken())} />;
  return (
    <Signedin
      onSignOut={() => {
        clearToken();
        closeLiveConnection();
        setTokenState(null);
      }}
    />
  );
}

function Signedin(props: { onSignOut: () => void }) {
  const route = useRoute();
  const me = useLoad(() => query<Me>(ME), []);
  if (me.error?.code === 'UNAUTHENTICATED') {
    return (
      <SignIn
        problem="That token was not accepted (invalid or expired). Paste a new one."
        onSignedIn={() => me.reload()}
      />
    );
  }
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href="#/">
          Trustline
        </a>
        <nav aria-label="Main">
          <a href="#/" aria-current={route.view === 'programs' ? 'page' : undefined}>
            Programs
          </a>
        </nav>
        <div class="who">
          {me.data && (
            <span>
              {me.data.me.subject} <span class="muted">({me.data.me.roles.join(', ') || 'no role'})</span>
            </span>
          )}
          <button type="button" onClick={props.onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {route.view === 'programs' && <ProgramsView />}
        {route.view === 'program' && <ProgramView id={route.id} />}
        {route.view === 'relationship' && <RelationshipView id={route.id} />}
        {route.view === 'audit' && <AuditView id={route.id} />}
      </main>
    </>
  );
}

function SignIn(props: { onSignedIn: () => void; problem?: string }) {
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(props.problem ?? null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setToken(value);
    try {
      await query<Me>(ME);
      props.onSignedIn();
    } catch (error) {
      clearToken();
      setProblem(
        error instanceof ApiError && error.code === 'UNAUTHENTICATED'
          ? 'That token was not accepted (invalid or expired).'
          : String((error as Error).message),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" class="sign-in">
      <h1>Trustline</h1>
      <form onSubmit={submit} class="card">
        <h2>Sign in</h2>
        <p>
          Paste your access token (<code>npm run cli -- token …</code> or the links <code>seed-demo</code> prints). It
          stays in this browser tab only.
        </p>
        <label for="token">Access token</label>
        <textarea
          id="token"
          name="token"
          rows={4}
          required
          value={value}
          onInput={(e) => setValue((e.target as HTMLTextAreaElement).value)}
          autoComplete="off"
          spellcheck={false}
        />
        {problem && (
          <p role="alert" class="problem">
            {problem}
          </p>
        )}
        <button type="submit" disabled={busy || value.trim() === ''}>
          Sign in
        </button>
      </form>
    </main>
  );
}
