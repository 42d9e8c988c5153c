<?xml version="1.0" encoding="UTF-8"?>
<!--
  Language tags for HTML's lang attribute (BCP 47) from TEI's xml:lang.

  TEI documents often give ISO 639-2 three-letter codes ('lat', 'fre', 'ger'); BCP 47
  requires the two-letter ISO 639-1 code where one exists ('la', 'fr', 'de'), so the
  language subtag is mapped through the table below (ISO 639-2 bibliographic and
  terminologic codes that have an ISO 639-1 equivalent, as published by the ISO 639-2
  registration authority). A value that is not a well-formed tag gives '' (no lang).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:st="urn:x-serge-tei:xslt"
    exclude-result-prefixes="#all">

  <xsl:variable name="st:iso639-2-to-1" as="map(xs:string, xs:string)" select="map{
      'aar': 'aa', 'abk': 'ab', 'afr': 'af', 'aka': 'ak', 'alb': 'sq', 'amh': 'am', 'ara': 'ar',
      'arg': 'an', 'arm': 'hy', 'asm': 'as', 'ava': 'av', 'ave': 'ae', 'aym': 'ay', 'aze': 'az',
      'bak': 'ba', 'bam': 'bm', 'baq': 'eu', 'bel': 'be', 'ben': 'bn', 'bih': 'bh', 'bis': 'bi',
      'bod': 'bo', 'bos': 'bs', 'bre': 'br', 'bul': 'bg', 'bur': 'my', 'cat': 'ca', 'ces': 'cs',
      'cha': 'ch', 'che': 'ce', 'chi': 'zh', 'chu': 'cu', 'chv': 'cv', 'cor': 'kw', 'cos': 'co',
      'cre': 'cr', 'cym': 'cy', 'cze': 'cs', 'dan': 'da', 'deu': 'de', 'div': 'dv', 'dut': 'nl',
      'dzo': 'dz', 'ell': 'el', 'eng': 'en', 'epo': 'eo', 'est': 'et', 'eus': 'eu', 'ewe': 'ee',
      'fao': 'fo', 'fas': 'fa', 'fij': 'fj', 'fin': 'fi', 'fra': 'fr', 'fre': 'fr', 'fry': 'fy',
      'ful': 'ff', 'geo': 'ka', 'ger': 'de', 'gla': 'gd', 'gle': 'ga', 'glg': 'gl', 'glv': 'gv',
      'gre': 'el', 'grn': 'gn', 'guj': 'gu', 'hat': 'ht', 'hau': 'ha', 'heb': 'he', 'her': 'hz',
      'hin': 'hi', 'hmo': 'ho', 'hrv': 'hr', 'hun': 'hu', 'hye': 'hy', 'ibo': 'ig', 'ice': 'is',
      'ido': 'io', 'iii': 'ii', 'iku': 'iu', 'ile': 'ie', 'ina': 'ia', 'ind': 'id', 'ipk': 'ik',
      'isl': 'is', 'ita': 'it', 'jav': 'jv', 'jpn': 'ja', 'kal': 'kl', 'kan': 'kn', 'kas': 'ks',
      'kat': 'ka', 'kau': 'kr', 'kaz': 'kk', 'khm': 'km', 'kik': 'ki', 'kin': 'rw', 'kir': 'ky',
      'kom': 'kv', 'kon': 'kg', 'kor': 'ko', 'kua': 'kj', 'kur': 'ku', 'lao': 'lo', 'lat': 'la',
      'lav': 'lv', 'lim': 'li', 'lin': 'ln', 'lit': 'lt', 'ltz': 'lb', 'lub': 'lu', 'lug': 'lg',
      'mac': 'mk', 'mah': 'mh', 'mal': 'ml', 'mao': 'mi', 'mar': 'mr', 'may': 'ms', 'mkd': 'mk',
      'mlg': 'mg', 'mlt': 'mt', 'mon': 'mn', 'mri': 'mi', 'msa': 'ms', 'mya': 'my', 'nau': 'na',
      'nav': 'nv', 'nbl': 'nr', 'nde': 'nd', 'ndo': 'ng', 'nep': 'ne', 'nld': 'nl', 'nno': 'nn',
      'nob': 'nb', 'nor': 'no', 'nya': 'ny', 'oci': 'oc', 'oji': 'oj', 'ori': 'or', 'orm': 'om',
      'oss': 'os', 'pan': 'pa', 'per': 'fa', 'pli': 'pi', 'pol': 'pl', 'por': 'pt', 'pus': 'ps',
      'que': 'qu', 'roh': 'rm', 'ron': 'ro', 'rum': 'ro', 'run': 'rn', 'rus': 'ru', 'sag': 'sg',
      'san': 'sa', 'sin': 'si', 'slk': 'sk', 'slo': 'sk', 'slv': 'sl', 'sme': 'se', 'smo': 'sm',
      'sna': 'sn', 'snd': 'sd', 'som': 'so', 'sot': 'st', 'spa': 'es', 'sqi': 'sq', 'srd': 'sc',
      'srp': 'sr', 'ssw': 'ss', 'sun': 'su', 'swa': 'sw', 'swe': 'sv', 'tah': 'ty', 'tam': 'ta',
      'tat': 'tt', 'tel': 'te', 'tgk': 'tg', 'tgl': 'tl', 'tha': 'th', 'tib': 'bo', 'tir': 'ti',
      'ton': 'to', 'tsn': 'tn', 'tso': 'ts', 'tuk': 'tk', 'tur': 'tr', 'twi': 'tw', 'uig': 'ug',
      'ukr': 'uk', 'urd': 'ur', 'uzb': 'uz', 'ven': 've', 'vie': 'vi', 'vol': 'vo', 'wel': 'cy',
      'wln': 'wa', 'wol': 'wo', 'xho': 'xh', 'yid': 'yi', 'yor': 'yo', 'zha': 'za', 'zho': 'zh',
      'zul': 'zu'}"/>

  <!-- Well-formed BCP 47 (RFC 5646 section 2.1), without the grandfathered irregular tags. -->
  <xsl:variable name="st:bcp47" as="xs:string" select="'^([a-z]{2,3}(-[a-z]{3}){0,3}|[a-z]{4,8})'
      || '(-[a-z]{4})?(-([a-z]{2}|[0-9]{3}))?(-([a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*'
      || '(-[0-9a-wy-z](-[a-z0-9]{2,8})+)*(-x(-[a-z0-9]{1,8})+)?$|^x(-[a-z0-9]{1,8})+$'"/>

  <!-- The BCP 47 form of an xml:lang value ('lat' gives 'la', 'ger-DE' 'de-DE'), or ''.
       Asked for each name of a page (the language its tip is compared with): the common
       value, two small letters ('en'), is its own BCP 47 form and is given back at once. -->
  <xsl:function name="st:bcp47" as="xs:string" cache="yes">
    <xsl:param name="value" as="xs:string?"/>
    <xsl:sequence select="if (string-length($value) = 2
        and translate($value, 'abcdefghijklmnopqrstuvwxyz', '') = '') then $value
        else st:bcp47-of(normalize-space($value))"/>
  </xsl:function>

  <xsl:function name="st:bcp47-of" as="xs:string">
    <xsl:param name="tag" as="xs:string"/>
    <xsl:variable name="primary" select="lower-case(substring-before($tag || '-', '-'))"/>
    <xsl:variable name="mapped" select="($st:iso639-2-to-1($primary), $primary)[1]
        || substring($tag, string-length($primary) + 1)"/>
    <xsl:sequence select="if (matches($mapped, $st:bcp47, 'i')) then $mapped else ''"/>
  </xsl:function>

</xsl:stylesheet>
