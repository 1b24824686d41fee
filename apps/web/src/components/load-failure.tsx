import { Button, Result } from 'antd';
import { Link } from 'react-router-dom';
import { isApiError } from '../lib/api-client';
import { QueryError } from './query-error';

/**
 * A detail page whose record did not load. Not found and not allowed look the same (a record
 * outside one's area is not admitted to exist), with a way back to the list; anything else is
 * shown as the error with a retry. `h5` keeps the error inside the phone page's margins.
 */
export function LoadFailure({
  error,
  onRetry,
  title,
  subTitle,
  back,
  h5,
}: {
  error: unknown;
  onRetry: () => void;
  title: string;
  subTitle?: string;
  back: { to: string; label: string };
  h5?: boolean;
}) {
  if (isApiError(error) && (error.status === 404 || error.status === 403))
    return (
      <Result
        status="404"
        title={title}
        subTitle={subTitle}
        extra={
          <Link to={back.to}>
            <Button type="primary">{back.label}</Button>
          </Link>
        }
      />
    );
  const alert = <QueryError error={error} onRetry={onRetry} />;
  return h5 ? (
    <div className="h5-page" style={{ paddingTop: 12 }}>
      {alert}
    </div>
  ) : (
    alert
  );
}
