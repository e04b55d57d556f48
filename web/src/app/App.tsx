import { Link, Route, Routes } from 'react-router';
import { Layout } from './Layout.js';
import { SignIn } from '../screens/SignIn.js';
import { Dashboard } from '../screens/Dashboard.js';
import { NoDocumentSelected, ProjectPage } from '../screens/ProjectPage.js';
import { DocumentEditor } from '../screens/DocumentEditor.js';
import { Notifications } from '../screens/Notifications.js';
import { Account } from '../screens/Account.js';
import { AdminLayout } from '../screens/admin/AdminLayout.js';
import { Organizations } from '../screens/admin/Organizations.js';
import { ApiKeys } from '../screens/admin/ApiKeys.js';
import { Platform } from '../screens/admin/Platform.js';

/**
 * The app's routes. The gateway answers every browser navigation outside /graphql, /health and
 * /metrics with index.html, so each of these paths loads directly too.
 */
export function App() {
  return (
    <Routes>
      <Route path="/sign-in" element={<SignIn mode="sign-in" />} />
      <Route path="/sign-up" element={<SignIn mode="sign-up" />} />
      <Route element={<Layout />}>
        <Route index element={<Dashboard />} />
        <Route path="projects/:projectId" element={<ProjectPage />}>
          <Route index element={<NoDocumentSelected />} />
          <Route path="documents/new" element={<DocumentEditor key="new" />} />
          <Route path="documents/:documentId" element={<DocumentEditor />} />
        </Route>
        <Route path="notifications" element={<Notifications />} />
        <Route path="account" element={<Account />} />
        <Route path="admin" element={<AdminLayout />}>
          <Route index element={<Organizations />} />
          <Route path="api-keys" element={<ApiKeys />} />
          <Route path="platform" element={<Platform />} />
        </Route>
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

function NotFound() {
  return (
    <main id="main" tabIndex={-1} className="page">
      <h1>Page not found</h1>
      <Link to="/">Back to the dashboard</Link>
    </main>
  );
}
