<?xml version="1.0" encoding="UTF-8"?>
<!--
  Where a mention is, said for the indexes: the document's short title, the entry or
  section it is in, and a few words of context on either side.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:st="urn:x-serge-tei:xslt"
    exclude-result-prefixes="#all">

  <!-- How many characters of context on each side, at most. -->
  <xsl:variable name="st:context-chars" as="xs:integer" select="60"/>

  <!-- A short title: the header's title[@type='short'], else the main title before its colon
       (when that says enough), else the main title, shortened at a word. -->
  <xsl:function name="st:short-title" as="xs:string">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:variable name="short" select="$tei/tei:teiHeader/tei:fileDesc/tei:titleStmt
        /tei:title[@type = 'short'][1]"/>
    <xsl:variable name="title" select="st:doc-title($tei)"/>
    <xsl:variable name="head" select="normalize-space(substring-before($title, ':'))"/>
    <xsl:sequence select="if ($short) then st:plain($short)
        else if (string-length($head) ge 12) then $head
        else st:shorten($title, 60)"/>
  </xsl:function>

  <!-- The entry or section a node is in: its heading and dateline, or ''. -->
  <xsl:function name="st:where" as="xs:string">
    <xsl:param name="node" as="node()"/>
    <xsl:variable name="div" select="($node/ancestor::tei:div[@type = ('entry', 'diary-day',
        'letter')], $node/ancestor::tei:div[tei:head])[last()]"/>
    <xsl:variable name="parts" select="($div/tei:head[1], $div/tei:dateline[1],
        $div/tei:opener[1]/tei:dateline[1]) ! st:plain(.)"/>
    <xsl:variable name="where" select="replace(string-join($parts[. != ''], ', '), '[.,;:\s]+$', '')"/>
    <!-- A heading that only repeats the document's title says nothing more. -->
    <xsl:variable name="tei" select="$node/ancestor::tei:TEI[1]"/>
    <xsl:sequence select="if ($tei and $where = (st:doc-title($tei), st:short-title($tei))) then ''
        else $where"/>
  </xsl:function>

  <!-- The text of the block around $e before it (side 'before') or after it ('after'), as the
       source reads, notes left out; at most $st:context-chars characters, cut at a word. -->
  <xsl:function name="st:context" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:param name="side" as="xs:string"/>
    <xsl:variable name="block" select="$e/ancestor::*[self::tei:p | self::tei:ab | self::tei:l
        | self::tei:head | self::tei:item | self::tei:cell | self::tei:note | self::tei:dateline
        | self::tei:quote | self::tei:stage | self::tei:speaker | self::tei:bibl][1]"/>
    <!-- As the reading text shows it: the corrected reading, not the source's. -->
    <xsl:variable name="texts" select="$block//text()[not(ancestor::tei:sic | ancestor::tei:orig
        | (ancestor::tei:note except $block/ancestor-or-self::tei:note))]"/>
    <xsl:variable name="own" select="$e//text()"/>
    <xsl:variable name="chosen" select="if ($side = 'before') then $texts[. &lt;&lt; $e]
        else $texts[. >> $e] except $own"/>
    <xsl:variable name="text" select="normalize-space(string-join($chosen))"/>
    <!-- Within the mention's sentence when it is long enough to say something. -->
    <xsl:variable name="sentence" select="if ($side = 'before')
        then replace($text, '^.*[.!?]\s+(\S.{9,})$', '$1')
        else replace($text, '^(.{9,}?[.!?])\s.*$', '$1')"/>
    <xsl:sequence select="if ($side = 'before') then st:shorten-start($sentence, $st:context-chars)
        else st:shorten($sentence, $st:context-chars)"/>
  </xsl:function>

  <xsl:function name="st:shorten" as="xs:string">
    <xsl:param name="text" as="xs:string"/>
    <xsl:param name="max" as="xs:integer"/>
    <xsl:sequence select="if (string-length($text) le $max) then $text
        else replace(substring($text, 1, $max), '\s+\S*$', '') || '…'"/>
  </xsl:function>

  <xsl:function name="st:shorten-start" as="xs:string">
    <xsl:param name="text" as="xs:string"/>
    <xsl:param name="max" as="xs:integer"/>
    <xsl:sequence select="if (string-length($text) le $max) then $text
        else '…' || replace(substring($text, string-length($text) - $max + 1), '^\S*\s+', '')"/>
  </xsl:function>

</xsl:stylesheet>
