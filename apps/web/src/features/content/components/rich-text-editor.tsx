import { useEffect, useRef, useState } from 'react';
import { App, Button, Divider, Input, Modal, Tooltip } from 'antd';
import {
  BoldOutlined,
  ItalicOutlined,
  LinkOutlined,
  OrderedListOutlined,
  PictureOutlined,
  RedoOutlined,
  UnderlineOutlined,
  UndoOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import { EditorContent, useEditor, useEditorState } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import Image from '@tiptap/extension-image';
import { errorMessage } from '../../../lib/api-client';
import { uploadPhoto } from '../../../components/photo-upload';
import './content.css';

/**
 * The body editor (tiptap): paragraphs, two heading levels, bold/italic/underline, lists, quotes,
 * links and pictures uploaded to the platform. The server keeps only its allow-list of HTML.
 */
export function RichTextEditor({
  value,
  onChange,
  placeholder = '在此输入正文…',
}: {
  value?: string;
  onChange?: (html: string) => void;
  placeholder?: string;
}) {
  const { message } = App.useApp();
  const fileRef = useRef<HTMLInputElement>(null);
  const [linkOpen, setLinkOpen] = useState(false);
  const [href, setHref] = useState('');
  const [uploading, setUploading] = useState(false);

  const editor = useEditor({
    extensions: [
      StarterKit.configure({ heading: { levels: [2, 3] }, link: { openOnClick: false, autolink: true, protocols: ['http', 'https', 'mailto', 'tel'] } }),
      Image,
    ],
    content: value ?? '',
    onUpdate: ({ editor: e }) => onChange?.(e.isEmpty ? '' : e.getHTML()),
    editorProps: { attributes: { class: 'rte-body', 'aria-label': '正文', 'data-placeholder': placeholder } },
  });

  // A new value from outside (the loaded item) replaces the document; typing does not loop back.
  useEffect(() => {
    if (editor && value !== undefined && value !== (editor.isEmpty ? '' : editor.getHTML())) editor.commands.setContent(value, { emitUpdate: false });
  }, [editor, value]);

  const state = useEditorState({
    editor,
    selector: ({ editor: e }) =>
      e
        ? {
            bold: e.isActive('bold'),
            italic: e.isActive('italic'),
            underline: e.isActive('underline'),
            h2: e.isActive('heading', { level: 2 }),
            h3: e.isActive('heading', { level: 3 }),
            bullet: e.isActive('bulletList'),
            ordered: e.isActive('orderedList'),
            quote: e.isActive('blockquote'),
            link: e.isActive('link'),
            canUndo: e.can().undo(),
            canRedo: e.can().redo(),
          }
        : null,
  });
  if (!editor || !state) return null;

  const btn = (title: string, active: boolean, onClick: () => void, icon: React.ReactNode, disabled = false) => (
    <Tooltip title={title} key={title}>
      <Button size="small" type={active ? 'primary' : 'text'} icon={icon} onClick={onClick} disabled={disabled} aria-label={title} aria-pressed={active} />
    </Tooltip>
  );
  const textBtn = (title: string, label: string, active: boolean, onClick: () => void) => (
    <Tooltip title={title} key={title}>
      <Button size="small" type={active ? 'primary' : 'text'} onClick={onClick} aria-label={title} aria-pressed={active}>
        {label}
      </Button>
    </Tooltip>
  );

  async function insertPicture(file: File) {
    setUploading(true);
    try {
      const up = await uploadPhoto(file);
      editor!.chain().focus().setImage({ src: up.url }).run();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setUploading(false);
    }
  }

  return (
    <div className="rte">
      <div className="rte-toolbar" role="toolbar" aria-label="格式">
        {textBtn('正文', '正文', !state.h2 && !state.h3 && !state.quote, () => editor.chain().focus().setParagraph().run())}
        {textBtn('大标题', 'H2', state.h2, () => editor.chain().focus().toggleHeading({ level: 2 }).run())}
        {textBtn('小标题', 'H3', state.h3, () => editor.chain().focus().toggleHeading({ level: 3 }).run())}
        <Divider orientation="vertical" />
        {btn('加粗', state.bold, () => editor.chain().focus().toggleBold().run(), <BoldOutlined />)}
        {btn('斜体', state.italic, () => editor.chain().focus().toggleItalic().run(), <ItalicOutlined />)}
        {btn('下划线', state.underline, () => editor.chain().focus().toggleUnderline().run(), <UnderlineOutlined />)}
        <Divider orientation="vertical" />
        {btn('项目列表', state.bullet, () => editor.chain().focus().toggleBulletList().run(), <UnorderedListOutlined />)}
        {btn('编号列表', state.ordered, () => editor.chain().focus().toggleOrderedList().run(), <OrderedListOutlined />)}
        {textBtn('引用', '引用', state.quote, () => editor.chain().focus().toggleBlockquote().run())}
        <Divider orientation="vertical" />
        {btn(
          '链接',
          state.link,
          () => {
            setHref((editor.getAttributes('link').href as string | undefined) ?? 'https://');
            setLinkOpen(true);
          },
          <LinkOutlined />,
        )}
        <Tooltip title="插入图片">
          <Button size="small" type="text" icon={<PictureOutlined />} loading={uploading} onClick={() => fileRef.current?.click()} aria-label="插入图片" />
        </Tooltip>
        <Divider orientation="vertical" />
        {btn('撤销', false, () => editor.chain().focus().undo().run(), <UndoOutlined />, !state.canUndo)}
        {btn('重做', false, () => editor.chain().focus().redo().run(), <RedoOutlined />, !state.canRedo)}
        <input
          ref={fileRef}
          type="file"
          accept="image/jpeg,image/png,image/webp,image/gif"
          style={{ display: 'none' }}
          aria-hidden
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void insertPicture(f);
          }}
        />
      </div>
      <EditorContent editor={editor} />
      <Modal
        title="插入链接"
        open={linkOpen}
        okText="确定"
        cancelText="取消"
        onCancel={() => setLinkOpen(false)}
        onOk={() => {
          const v = href.trim();
          if (!v || v === 'https://') editor.chain().focus().extendMarkRange('link').unsetLink().run();
          else if (!/^(https?:\/\/|mailto:|tel:)/i.test(v)) {
            message.error('链接须以 http://、https://、mailto: 或 tel: 开头');
            return;
          } else editor.chain().focus().extendMarkRange('link').setLink({ href: v }).run();
          setLinkOpen(false);
        }}
      >
        <Input value={href} onChange={(e) => setHref(e.target.value)} placeholder="https://" aria-label="链接地址" />
      </Modal>
    </div>
  );
}
