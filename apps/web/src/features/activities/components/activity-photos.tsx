import { Image } from 'antd';
import { photoUrl } from '../../../components/photo-upload';

/**
 * Pictures of an activity or its report (upload ids), tap to see them large and swipe through.
 * `grid`: the phone gallery (one picture wide, two side by side, three or more in rows of three);
 * `strip`: the console's row of fixed thumbnails.
 */
export function ActivityPhotos({ ids, alt, variant, testId }: { ids: string[]; alt: string; variant: 'grid' | 'strip'; testId?: string }) {
  if (!ids.length) return null;
  const layout = variant === 'strip' ? 'strip' : ids.length === 1 ? 'one' : ids.length === 2 || ids.length === 4 ? 'two' : 'three';
  return (
    <div className={`act-photos act-photos-${layout}`} data-testid={testId} data-count={ids.length}>
      <Image.PreviewGroup>
        {ids.map((id, i) => (
          <Image
            key={id}
            src={photoUrl(id)}
            alt={`${alt}（第 ${i + 1} 张，共 ${ids.length} 张）`}
            {...(variant === 'strip' ? { width: 128, height: 96 } : {})}
            rootClassName="act-photo"
          />
        ))}
      </Image.PreviewGroup>
    </div>
  );
}
