import { Route, Routes } from 'react-router-dom';
import { NotFoundPage } from '../../components/not-found-page';
import { H5HomePage } from '../../features/h5/components/h5-home-page';
import { H5Layout } from '../../features/h5/components/h5-layout';
import { H5MePage } from '../../features/h5/components/h5-me-page';
import { RequireSignedIn } from '../guards';

/** The phone pages for residents and volunteers, at /h5/*. */
export default function H5App() {
  return (
    <RequireSignedIn>
      {(me) => (
        <Routes>
          <Route element={<H5Layout />}>
            <Route index element={<H5HomePage me={me} />} />
            <Route path="me" element={<H5MePage me={me} />} />
          </Route>
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      )}
    </RequireSignedIn>
  );
}
