export { Avatar } from './Avatar';
export { Button, ButtonLink } from './Button';
export { Chip } from './Chip';
export { Skeleton, SkeletonBlock } from './Skeleton';
export { StateMessage } from './StateMessage';
export { Toast } from './Toast';
