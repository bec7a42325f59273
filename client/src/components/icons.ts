/**
 * The bootstrap-icons the app uses, inlined as SVG text: a handful of icons costs
 * a few kilobytes, where the icon font and its stylesheet would cost tens.
 * Add an icon here to use it (AppIcon.vue).
 */
import search from 'bootstrap-icons/icons/search.svg?raw';
import braces from 'bootstrap-icons/icons/braces.svg?raw';
import circleFill from 'bootstrap-icons/icons/circle-fill.svg?raw';
import bell from 'bootstrap-icons/icons/bell.svg?raw';
import bellFill from 'bootstrap-icons/icons/bell-fill.svg?raw';
import listTask from 'bootstrap-icons/icons/list-task.svg?raw';
import personCircle from 'bootstrap-icons/icons/person-circle.svg?raw';
import boxArrowInRight from 'bootstrap-icons/icons/box-arrow-in-right.svg?raw';
import download from 'bootstrap-icons/icons/download.svg?raw';
import questionCircle from 'bootstrap-icons/icons/question-circle.svg?raw';
import funnel from 'bootstrap-icons/icons/funnel.svg?raw';
import xLg from 'bootstrap-icons/icons/x-lg.svg?raw';
import chevronRight from 'bootstrap-icons/icons/chevron-right.svg?raw';
import exclamationTriangle from 'bootstrap-icons/icons/exclamation-triangle.svg?raw';
import arrowClockwise from 'bootstrap-icons/icons/arrow-clockwise.svg?raw';
import inbox from 'bootstrap-icons/icons/inbox.svg?raw';
import diagram3 from 'bootstrap-icons/icons/diagram-3.svg?raw';
import boxSeam from 'bootstrap-icons/icons/box-seam.svg?raw';
import files from 'bootstrap-icons/icons/files.svg?raw';
import puzzle from 'bootstrap-icons/icons/puzzle.svg?raw';
import checkCircleFill from 'bootstrap-icons/icons/check-circle-fill.svg?raw';
import xCircleFill from 'bootstrap-icons/icons/x-circle-fill.svg?raw';
import star from 'bootstrap-icons/icons/star.svg?raw';
import eye from 'bootstrap-icons/icons/eye.svg?raw';
import chatSquareText from 'bootstrap-icons/icons/chat-square-text.svg?raw';
import list from 'bootstrap-icons/icons/list.svg?raw';
import house from 'bootstrap-icons/icons/house.svg?raw';
import wifiOff from 'bootstrap-icons/icons/wifi-off.svg?raw';
import barChartLine from 'bootstrap-icons/icons/bar-chart-line.svg?raw';
import tag from 'bootstrap-icons/icons/tag.svg?raw';
import collection from 'bootstrap-icons/icons/collection.svg?raw';
import link45deg from 'bootstrap-icons/icons/link-45deg.svg?raw';
import infoCircle from 'bootstrap-icons/icons/info-circle.svg?raw';
import hourglassSplit from 'bootstrap-icons/icons/hourglass-split.svg?raw';
import journalText from 'bootstrap-icons/icons/journal-text.svg?raw';
import box from 'bootstrap-icons/icons/box.svg?raw';
import folder2Open from 'bootstrap-icons/icons/folder2-open.svg?raw';
import gear from 'bootstrap-icons/icons/gear.svg?raw';
import sliders from 'bootstrap-icons/icons/sliders.svg?raw';
import chevronDown from 'bootstrap-icons/icons/chevron-down.svg?raw';
import cloudUpload from 'bootstrap-icons/icons/cloud-upload.svg?raw';

export const ICONS = {
  'gear': gear,
  'sliders': sliders,
  'chevron-down': chevronDown,
  'cloud-upload': cloudUpload,
  'search': search,
  'braces': braces,
  'circle-fill': circleFill,
  'bell': bell,
  'bell-fill': bellFill,
  'list-task': listTask,
  'person-circle': personCircle,
  'box-arrow-in-right': boxArrowInRight,
  'download': download,
  'question-circle': questionCircle,
  'funnel': funnel,
  'x-lg': xLg,
  'chevron-right': chevronRight,
  'exclamation-triangle': exclamationTriangle,
  'arrow-clockwise': arrowClockwise,
  'inbox': inbox,
  'diagram-3': diagram3,
  'box-seam': boxSeam,
  'files': files,
  'puzzle': puzzle,
  'check-circle-fill': checkCircleFill,
  'x-circle-fill': xCircleFill,
  'star': star,
  'eye': eye,
  'chat-square-text': chatSquareText,
  'list': list,
  'house': house,
  'wifi-off': wifiOff,
  'bar-chart-line': barChartLine,
  'tag': tag,
  'collection': collection,
  'link-45deg': link45deg,
  'info-circle': infoCircle,
  'hourglass-split': hourglassSplit,
  'journal-text': journalText,
  'box': box,
  'folder2-open': folder2Open,
} as const;

export type IconName = keyof typeof ICONS;
